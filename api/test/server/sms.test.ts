/**
 * One-time codes never reach a production log: a production server refuses to start with the console
 * sender unless SMS_SENDER=console is set, and then prints every message with its code masked;
 * development keeps printing the codes.
 */
import { suite } from "uvu";
import * as assert from "uvu/assert";
import { startServer } from "../../src/server/app.ts";
import { smsGatewayFor, startSmsSender, type SmsGateway } from "../../src/server/sms.ts";
import { Builder } from "../support/builder.ts";
import { authenticatorUrl, getRootPool, ownerUrl } from "../support/database.ts";
import { TEST_JWT_SECRET, TEST_WEBHOOK_SECRET } from "../support/server.ts";

const test = suite("sms");

const data = new Builder();
const MOBILE_NO = await data.mobileNo();
const BODY = "Telecom: your code to reset your password is 482913. It is valid for 10 minutes. Never give it to anyone.";

/** What the console printed while `work` ran. */
async function printed(work: () => Promise<unknown>): Promise<string[]> {
  const lines: string[] = [];
  const saved = console.log;
  console.log = (...args: unknown[]) => void lines.push(args.map(String).join(" "));
  try {
    await work();
  } finally {
    console.log = saved;
  }
  return lines;
}

/** The lines a gateway prints for the queued message, sent by the real sender from the outbox. */
async function sentThrough(gateway: SmsGateway): Promise<string[]> {
  await getRootPool().query("insert into telecom_private.sms_outbox (mobile_no, body) values ($1, $2)", [MOBILE_NO, BODY]);
  const sender = await startSmsSender(ownerUrl(), gateway, 60_000);
  try {
    return (await printed(() => sender.flush())).filter((line) => line.includes(MOBILE_NO));
  } finally {
    await sender.close();
    await data.remove();
  }
}

test("development prints the message with its code", async () => {
  assert.equal(await sentThrough(smsGatewayFor(false, undefined)), [`SMS to ${MOBILE_NO}: ${BODY}`]);
});

test("production with SMS_SENDER=console prints the message with the code masked", async () => {
  assert.equal(await sentThrough(smsGatewayFor(true, "console")), [
    `SMS to ${MOBILE_NO}: Telecom: your code to reset your password is ••••••. It is valid for 10 minutes. Never give it to anyone.`,
  ]);
});

test("production without SMS_SENDER refuses the console sender; an unknown SMS_SENDER is refused everywhere", () => {
  assert.throws(() => smsGatewayFor(true, undefined), /real SMS gateway.*SMS_SENDER=console/);
  assert.throws(() => smsGatewayFor(true, ""), /real SMS gateway/);
  assert.throws(() => smsGatewayFor(false, "twilio"), /SMS_SENDER=twilio is not a sender/);
});

test("startServer in production: no start without SMS_SENDER=console or a gateway; with it, it starts", async () => {
  const saved = process.env.SMS_SENDER;
  const options = {
    port: 0,
    urls: { owner: ownerUrl(), authenticator: authenticatorUrl() },
    jwtSecret: TEST_JWT_SECRET,
    paymentWebhookSecret: TEST_WEBHOOK_SECRET,
    webRoot: null,
    trustedDocumentsFile: null,
    production: true,
    maintenance: false as const,
  };
  try {
    delete process.env.SMS_SENDER;
    try {
      await startServer(options);
      assert.unreachable("started with the console sender");
    } catch (error) {
      assert.match((error as Error).message, /SMS_SENDER=console/);
    }
    process.env.SMS_SENDER = "console";
    const server = await startServer(options);
    try {
      assert.is((await fetch(`${server.url}/health`)).status, 200);
    } finally {
      await server.close();
    }
  } finally {
    if (saved === undefined) delete process.env.SMS_SENDER;
    else process.env.SMS_SENDER = saved;
  }
});

test.run();
