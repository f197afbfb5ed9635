/**
 * `npm run usage:simulate -- --rate N --seconds S [--url http://localhost:5678]`: sends realistic
 * usage events (docs/usage.md) to a running server as the network role, then prints what it did. The
 * network login is USAGE_NETWORK_CLIENT_ID / USAGE_NETWORK_SECRET when set, otherwise the simulator
 * gives its own login (client usage-simulator) a fresh secret through the owner's connection.
 * `--rate` is the events per second at the busiest hour (8–9 pm in the operator's time zone); the
 * daily curve scales it down to a tenth at 2–4 am (`--hour H` pretends another hour).
 */
import { simulateUsage } from "../usage/simulate.ts";
import { commandLine, positiveOption } from "./args.ts";
import { withProjectDatabase } from "./project-database.ts";

const USAGE = "npm run usage:simulate -- --rate N --seconds S [--url U] [--hour H]";
const { values } = commandLine(USAGE, {
  options: { rate: { type: "string" }, seconds: { type: "string" }, url: { type: "string" }, hour: { type: "string" } },
});
const rate = positiveOption(USAGE, "rate", values.rate, 20);
const seconds = positiveOption(USAGE, "seconds", values.seconds, 10);
const url = values.url ?? `http://localhost:${process.env.PORT ?? 5678}`;
const hourText = values.hour;
const credential =
  process.env.USAGE_NETWORK_CLIENT_ID && process.env.USAGE_NETWORK_SECRET
    ? { clientId: process.env.USAGE_NETWORK_CLIENT_ID, secret: process.env.USAGE_NETWORK_SECRET }
    : undefined;

await withProjectDatabase("usage-simulate", async (db) => {
  console.log(`Sending usage to ${url} for ${seconds} s at up to ${rate} events/s…`);
  const result = await simulateUsage({
    url,
    ownerUrl: db.urls.owner,
    rate,
    seconds,
    credential,
    hour: hourText === undefined ? undefined : Number(hourText),
  });
  const per = (n: number) => `${n.toLocaleString("en")}`;
  console.log(
    `Accounts: ${result.accounts.heavy} heavy, ${result.accounts.light} light, ${result.accounts.onHold} on hold; ` +
      `daily curve at ${Math.round(result.curve * 100)} % of the peak rate.`,
  );
  console.log(
    `Sent ${per(result.sent)} in ${(result.elapsedMs / 1000).toFixed(1)} s: ${per(result.in_allowance)} in allowance, ` +
      `${per(result.charged)} charged (${result.amountCharged.toFixed(2)}), ${per(result.refused)} refused, ` +
      `${per(result.duplicates)} duplicates${result.duplicateMismatches ? ` (${result.duplicateMismatches} did not return the first result!)` : ""}.`,
  );
  const errors = Object.entries(result.errors);
  if (errors.length) console.log(`Errors: ${errors.map(([code, count]) => `${code} × ${count}`).join(", ")}`);
});
