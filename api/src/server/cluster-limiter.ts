/**
 * The concurrency cap (concurrency.ts) across the workers of a cluster: one ConcurrencyLimiter in the
 * primary holds every budget, and each worker asks it for a slot over the cluster's IPC channel, so a
 * person, an address or an admin gets the same number of requests at once however many workers serve
 * them. A worker that dies gives back every slot it held; a slot granted to it after it died is given
 * back at once.
 */
import type { Worker } from "node:cluster";
import { ConcurrencyLimiter, type SlotLimiter } from "./concurrency.ts";
import { CONCURRENCY, type ConcurrencyLimits } from "./limits.ts";

/** The IPC messages of the cap; `telecom` tells them from other messages on the channel. */
type LimiterMessage =
  | { telecom: "slot:acquire"; id: number; key: string; limit: number; wait: boolean }
  | { telecom: "slot:release"; id: number }
  | { telecom: "slot:answer"; id: number; granted: boolean };

function isLimiterMessage(message: unknown): message is LimiterMessage {
  const tag = (message as { telecom?: unknown } | null)?.telecom;
  return typeof tag === "string" && tag.startsWith("slot:");
}

/** A worker's side: the same `acquire` as ConcurrencyLimiter, answered by the primary. */
export class ClusterLimiterClient implements SlotLimiter {
  private nextId = 1;
  private readonly pending = new Map<number, (granted: boolean) => void>();

  constructor(private readonly channel: NodeJS.Process = process) {
    if (!channel.send) throw new Error("ClusterLimiterClient runs only in a cluster worker (no IPC channel).");
    channel.on("message", (message: unknown) => {
      if (!isLimiterMessage(message) || message.telecom !== "slot:answer") return;
      const answer = this.pending.get(message.id);
      this.pending.delete(message.id);
      answer?.(message.granted);
    });
    // Without the primary nobody grants a slot: waiting requests are refused.
    channel.once("disconnect", () => {
      for (const answer of this.pending.values()) answer(false);
      this.pending.clear();
    });
  }

  acquire(key: string, limit: number, wait = true): Promise<(() => void) | null> {
    const id = this.nextId++;
    return new Promise((resolve) => {
      this.pending.set(id, (granted) => {
        if (!granted) return resolve(null);
        let released = false;
        resolve(() => {
          if (released) return;
          released = true;
          this.post({ telecom: "slot:release", id });
        });
      });
      this.post({ telecom: "slot:acquire", id, key, limit, wait }, () => {
        this.pending.delete(id);
        resolve(null);
      });
    });
  }

  /** Sends to the primary; `failed` runs when the channel is closed (the primary is gone). */
  private post(message: LimiterMessage, failed: () => void = () => {}): void {
    if (!this.channel.connected) return failed();
    this.channel.send!(message, (error: Error | null) => {
      if (error) failed();
    });
  }
}

/** The primary's side: the one limiter, and what each worker holds of it. */
export class ClusterLimiterHost {
  readonly limiter: ConcurrencyLimiter;
  private readonly held = new Map<Worker, Map<number, () => void>>();

  constructor(limits: ConcurrencyLimits = CONCURRENCY) {
    this.limiter = new ConcurrencyLimiter(limits);
  }

  /** Serves a worker's requests for slots until it exits; then gives back what it held. */
  serve(worker: Worker): void {
    const held = new Map<number, () => void>();
    this.held.set(worker, held);
    worker.on("message", async (message: unknown) => {
      if (!isLimiterMessage(message)) return;
      if (message.telecom === "slot:release") {
        held.get(message.id)?.();
        held.delete(message.id);
        return;
      }
      if (message.telecom !== "slot:acquire") return;
      const release = await this.limiter.acquire(message.key, message.limit, message.wait);
      const alive = this.held.has(worker) && worker.isConnected();
      if (release && !alive) return release();
      if (release) held.set(message.id, release);
      // A worker that exits meanwhile gives the slot back on its "exit".
      if (alive) worker.send({ telecom: "slot:answer", id: message.id, granted: release !== null } satisfies LimiterMessage, () => {});
    });
    worker.once("exit", () => {
      this.held.delete(worker);
      for (const release of held.values()) release();
      held.clear();
    });
  }
}
