/**
 * Production's process tree (node:cluster): the primary holds the database (it opened it and ran the
 * migrations) and supervises one API worker per core, which share the listening port. The primary
 * serves no request: it replaces a worker that dies and logs why, keeps the concurrency budgets of
 * every worker (cluster-limiter.ts), and on shutdown stops the workers before the database. One
 * worker, the first, also runs the background work (the SMS sender and the maintenance tick), so it
 * runs once, not once per worker; its replacement takes it over.
 */
import cluster, { type Worker } from "node:cluster";
import os from "node:os";
import type { DatabaseUrls } from "../db/cluster.ts";
import { ClusterLimiterHost } from "./cluster-limiter.ts";

/** What the primary tells a new worker (over IPC, so the secret is not in its environment). */
export interface WorkerConfig {
  telecom: "worker:config";
  urls: DatabaseUrls;
  jwtSecret: string;
  port: number;
  host: string;
  /** This worker runs the SMS sender and the maintenance tick. */
  background: boolean;
}

/** What a worker tells the primary once it listens. */
export interface WorkerReady {
  telecom: "worker:ready";
  url: string;
}

/** Workers to run: WEB_CONCURRENCY (a positive whole number) or one per core. */
export function workerCount(value: string | undefined = process.env.WEB_CONCURRENCY): number {
  if (value === undefined || value.trim() === "") return os.availableParallelism();
  if (!/^[1-9][0-9]*$/.test(value.trim())) throw new Error(`WEB_CONCURRENCY=${value} is not a positive whole number of workers.`);
  return Number(value.trim());
}

/** How long a worker may take to finish its requests at shutdown before it is killed. */
const STOP_GRACE_MS = 10_000;
/** A replacement that dies before it listens is started again after this, doubling up to the maximum. */
const RETRY_FIRST_MS = 1_000;
const RETRY_MAX_MS = 30_000;

export interface Supervisor {
  /** The URL the workers listen on. */
  url: string;
  /** The workers' process ids, in the order of their slots. */
  pids(): number[];
  /** Stops every worker (SIGTERM, then SIGKILL after a grace period); resolves when all have exited. */
  stop(): Promise<void>;
}

const describeExit = (code: number | null, signal: string | null) => (signal ? `signal ${signal}` : `exit code ${code}`);

/**
 * Forks `count` workers of this script and resolves once every one listens. A worker that dies
 * before the first start is complete fails the start (its error is in its output); one that dies
 * later is replaced at once, and again with a growing delay while replacements die before listening.
 */
export function superviseWorkers(options: Omit<WorkerConfig, "telecom" | "background"> & { count: number }): Promise<Supervisor> {
  const { count, ...config } = options;
  const limiter = new ClusterLimiterHost();
  const slots: (Worker | null)[] = Array.from({ length: count }, () => null);
  let stopping = false;
  let started = false;
  let url = "";
  let retryMs = RETRY_FIRST_MS;

  return new Promise((resolve, reject) => {
    /** The workers (by cluster id) that listen now. */
    const listening = new Set<number>();

    const startWorker = (slot: number) => {
      const worker = cluster.fork();
      slots[slot] = worker;
      limiter.serve(worker);
      let listened = false;
      worker.on("online", () => worker.send({ telecom: "worker:config", ...config, background: slot === 0 } satisfies WorkerConfig));
      worker.on("message", (message: unknown) => {
        if ((message as WorkerReady | null)?.telecom !== "worker:ready") return;
        listened = true;
        listening.add(worker.id);
        retryMs = RETRY_FIRST_MS;
        url = (message as WorkerReady).url;
        if (started) console.log(`API worker ${slot + 1} (pid ${worker.process.pid}) replaced the one that died, and listens.`);
        else if (slots.every((each) => each && listening.has(each.id))) {
          started = true;
          resolve({ url, pids: () => slots.map((each) => each?.process.pid ?? 0), stop });
        }
      });
      worker.once("exit", (code, signal) => {
        listening.delete(worker.id);
        if (slots[slot] === worker) slots[slot] = null;
        if (stopping) return;
        const why = `API worker ${slot + 1} (pid ${worker.process.pid}) died (${describeExit(code, signal)})`;
        if (!started) {
          console.error(`${why} while starting: the server does not start.`);
          void stop().then(() => reject(new Error(`${why} while starting.`)));
          return;
        }
        const delay = listened ? 0 : retryMs;
        if (!listened) retryMs = Math.min(retryMs * 2, RETRY_MAX_MS);
        console.error(`${why}; starting a replacement${delay ? ` in ${delay / 1000} s` : ""}.`);
        setTimeout(() => {
          if (!stopping) startWorker(slot);
        }, delay);
      });
    };

    const stop = async () => {
      stopping = true;
      const running = Object.values(cluster.workers ?? {}).filter((worker): worker is Worker => !!worker && !worker.isDead());
      await Promise.all(
        running.map(
          (worker) =>
            new Promise<void>((exited) => {
              if (worker.isDead()) return exited();
              const kill = setTimeout(() => worker.process.kill("SIGKILL"), STOP_GRACE_MS);
              worker.once("exit", () => {
                clearTimeout(kill);
                exited();
              });
              worker.process.kill("SIGTERM");
            }),
        ),
      );
    };

    for (let slot = 0; slot < count; slot++) startWorker(slot);
  });
}
