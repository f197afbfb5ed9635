/**
 * The one way SMS leave (docs/api.md): SQL queues them in `telecom_private.sms_outbox` (the one-time
 * codes of request_verification_code); this sender takes the unsent ones, hands each to a gateway
 * and marks it sent, in one transaction per message. It wakes on `NOTIFY telecom_sms_outbox` (sent by
 * the outbox's trigger on commit) and looks again every 30 s in case a notification was missed.
 *
 * The gateway in development is the console. A real one (an SMS provider's HTTP API) is an
 * `SmsGateway` passed to `startServer({ smsGateway })`: a message whose `send` throws stays unsent
 * and is tried again on the next wake-up. A message holds a one-time code, a secret that must never
 * reach a log: in production the console is used only when SMS_SENDER=console says so, and then it
 * prints every message with its digits masked (`smsGatewayFor`).
 */
import pg from "pg";

export interface SmsMessage {
  smsId: number;
  mobileNo: string;
  body: string;
}

export interface SmsGateway {
  send(message: SmsMessage): Promise<void>;
}

/** Development: every message on the server's console. */
export const consoleSmsGateway: SmsGateway = {
  async send({ mobileNo, body }) {
    console.log(`SMS to ${mobileNo}: ${body}`);
  },
};

/** A message as it may be logged: every run of four or more digits (a code) masked, "••••••". */
export function maskCodes(body: string): string {
  return body.replace(/\d{4,}/g, (digits) => "•".repeat(digits.length));
}

/** Production with SMS_SENDER=console: the console, with the codes masked. */
export const maskedConsoleSmsGateway: SmsGateway = {
  async send({ mobileNo, body }) {
    console.log(`SMS to ${mobileNo}: ${maskCodes(body)}`);
  },
};

/**
 * The gateway when `startServer` is given none: the console in development; in production only with
 * SMS_SENDER=console, and then masked (the codes reset passwords). Without it a production server
 * does not start: it needs a real gateway (`startServer({ smsGateway })`).
 */
export function smsGatewayFor(production: boolean, smsSender = process.env.SMS_SENDER): SmsGateway {
  if (smsSender !== undefined && smsSender !== "" && smsSender !== "console") {
    throw new Error(`SMS_SENDER=${smsSender} is not a sender this server knows: the only one built in is "console".`);
  }
  if (!production) return consoleSmsGateway;
  if (smsSender === "console") return maskedConsoleSmsGateway;
  throw new Error(
    "In production the one-time codes need a real SMS gateway (startServer({ smsGateway })); set SMS_SENDER=console to print the messages, codes masked, on the console instead.",
  );
}

export interface SmsSender {
  /** Sends whatever waits now (tests and the timer call it; notifications too). */
  flush(): Promise<number>;
  close(): Promise<void>;
}

/**
 * Starts the sender on a connection of its own as the schema owner (`telecom_private` is closed to
 * the API roles).
 */
export async function startSmsSender(ownerUrl: string, gateway: SmsGateway, pollMs = 30_000): Promise<SmsSender> {
  const pool = new pg.Pool({ connectionString: ownerUrl, max: 2 });
  pool.on("error", (error) => console.error(`SMS sender: connection lost: ${error.message}`));
  const listener = await pool.connect();
  // A checked-out client reports a lost connection on itself (the pool's handler covers idle ones):
  // without a handler it would end the process. The timer still polls with new connections.
  listener.on("error", (error) => console.error(`SMS sender: notifications lost: ${error.message}`));
  let running: Promise<number> | undefined;
  let again = false;
  let closed = false;

  async function sendOne(): Promise<boolean> {
    const client = await pool.connect();
    try {
      await client.query("begin");
      const { rows } = await client.query(
        `select sms_id, mobile_no, body from telecom_private.sms_outbox
         where sent_at is null order by sms_id limit 1 for update skip locked`,
      );
      if (rows.length === 0) {
        await client.query("commit");
        return false;
      }
      const [row] = rows;
      await gateway.send({ smsId: Number(row.sms_id), mobileNo: row.mobile_no, body: row.body });
      await client.query("update telecom_private.sms_outbox set sent_at = now() where sms_id = $1", [row.sms_id]);
      await client.query("commit");
      return true;
    } catch (error) {
      await client.query("rollback").catch(() => {});
      throw error;
    } finally {
      client.release();
    }
  }

  async function drain(): Promise<number> {
    let sent = 0;
    do {
      again = false;
      while (!closed && (await sendOne())) sent++;
    } while (again && !closed);
    return sent;
  }

  function flush(): Promise<number> {
    if (running) {
      again = true;
      return running;
    }
    running = drain()
      .catch((error) => {
        console.error(`SMS sender: ${error instanceof Error ? error.message : error}`);
        return 0;
      })
      .finally(() => (running = undefined));
    return running;
  }

  listener.on("notification", () => void flush());
  await listener.query("listen telecom_sms_outbox");
  const timer = setInterval(() => void flush(), pollMs);
  timer.unref();
  void flush();

  return {
    flush,
    async close() {
      closed = true;
      clearInterval(timer);
      await running;
      listener.release();
      await pool.end();
    },
  };
}
