/**
 * `<usage-alerts>`: the usage alerts of the chosen number this month (docs/usage.md: `usage_alert`, raised
 * once when a plan's data, minutes or SMS cross 80 % and 100 % of the allowance), in the customer's
 * words. Self-contained: it follows the session, number and language contexts like a page, loads its
 * own rows, and shows nothing when there is no alert. Call `refresh()` to load them again.
 */
import { msg, str } from "@lit/localize";
import { Task } from "@lit/task";
import { html, nothing } from "lit";
import { customElement } from "lit/decorators.js";
import { graphql, nodesOf, type ResultOf } from "../api/graphql.ts";
import { CustomerPage, customerSession } from "../pages/customer-page.ts";
import { formatDate, nextMonthStart } from "../words.ts";

const UsageAlerts = graphql(`
  query UsageAlerts($mobileNo: String!, $periodStart: Date!) {
    usageAlerts(condition: { mobileNo: $mobileNo, periodStart: $periodStart }, first: 60) {
      nodes {
        planId
        kind
        threshold
        raisedAt
        plan {
          name
        }
      }
    }
  }
`);

type Alert = NonNullable<NonNullable<ResultOf<typeof UsageAlerts>["usageAlerts"]>["nodes"][number]>;

/** The first day of this month (`2026-11-01`), the period of this month's alerts. */
export function monthStart(now = new Date()): string {
  return `${now.getFullYear()}-${String(now.getMonth() + 1).padStart(2, "0")}-01`;
}

/** Per plan and kind, the highest threshold crossed (80 then 100: only "all used" is still news), newest first. */
export function latestAlerts<T extends { planId: number; kind: string; threshold: number; raisedAt: string }>(alerts: T[]): T[] {
  const highest = new Map<string, T>();
  for (const alert of alerts) {
    const key = `${alert.planId}:${alert.kind}`;
    const seen = highest.get(key);
    if (!seen || alert.threshold > seen.threshold) highest.set(key, alert);
  }
  return [...highest.values()].sort((a, b) => b.raisedAt.localeCompare(a.raisedAt) || a.planId - b.planId);
}

/** One alert as a sentence: what was used, of which plan, and what it means. */
export function alertText(alert: { kind: string; threshold: number }, plan: string, lang: string): string {
  const resets = formatDate(nextMonthStart(), lang);
  if (alert.threshold >= 100) {
    switch (alert.kind) {
      case "data":
        return msg(
          str`You have used all the data of ${plan} this month. More data is charged to your balance until it resets on ${resets}.`,
        );
      case "voice":
        return msg(
          str`You have used all the minutes of ${plan} this month. More calls are charged to your balance until it resets on ${resets}.`,
        );
      default:
        return msg(
          str`You have used all the SMS of ${plan} this month. More SMS are charged to your balance until it resets on ${resets}.`,
        );
    }
  }
  switch (alert.kind) {
    case "data":
      return msg(str`You have used 80% of the data of ${plan} this month.`);
    case "voice":
      return msg(str`You have used 80% of the minutes of ${plan} this month.`);
    default:
      return msg(str`You have used 80% of the SMS of ${plan} this month.`);
  }
}

@customElement("usage-alerts")
export class UsageAlertsElement extends CustomerPage {
  private _alerts = new Task(this, {
    task: async ([mobileNo, session], { signal }) =>
      nodesOf(
        (await customerSession(session).request(UsageAlerts, { mobileNo: mobileNo!, periodStart: monthStart() }, signal)).usageAlerts,
      ),
    args: () => [this._number, this._session] as const,
  });

  /** Loads the alerts again (e.g. after new usage arrived). */
  refresh(): void {
    void this._alerts.run();
  }

  render() {
    const alerts: Alert[] = latestAlerts(this._alerts.value ?? []);
    if (alerts.length === 0) return nothing;
    const lang = this._language.lang;
    return html`<section aria-labelledby="usage-alerts" class="after-grid">
      <h2 id="usage-alerts">${msg("Usage alerts")}</h2>
      <ul class="cards" data-testid="usage-alerts">
        ${alerts.map(
          (alert) =>
            html`<li data-threshold=${alert.threshold}>
              <span
                >${alertText(alert, alert.plan?.name ?? msg("your plan"), lang)}<br /><span class="muted"
                  >${formatDate(alert.raisedAt, lang)}</span
                ></span
              >
            </li>`,
        )}
      </ul>
    </section>`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    "usage-alerts": UsageAlertsElement;
  }
}
