/**
 * `<usage-page>`: consumption of one of the chosen number's plans over a period (`consumption`), and
 * the number's usage records (paged).
 */
import { msg, str } from "@lit/localize";
import { Task } from "@lit/task";
import { html } from "lit";
import { customElement, state } from "lit/decorators.js";
import { graphql, nodesOf, type ResultOf } from "../api/graphql.ts";
import { PAGE_SIZE, PagedList } from "../api/paging.ts";
import type { Field, Values } from "../components/op-form.ts";
import "../components/op-form.ts";
import { pageHeading, taskView, today } from "../ui.ts";
import { formatData, formatDate, formatMinutes, formatSms } from "../words.ts";
import { CustomerPage, customerSession } from "./customer-page.ts";

const NumberPlans = graphql(`
  query NumberPlans($mobileNo: String!, $first: Int!) {
    planSubscriptions(condition: { mobileNo: $mobileNo }, orderBy: SUBSCRIPTION_DATE_ASC, first: $first) {
      nodes {
        status
        plan {
          planId
          name
        }
      }
    }
  }
`);

const UsageRecords = graphql(`
  query UsageRecords($mobileNo: String!, $first: Int!, $after: Cursor) {
    planUsages(condition: { mobileNo: $mobileNo }, orderBy: [START_DATE_DESC, USAGE_ID_DESC], first: $first, after: $after) {
      nodes {
        usageId
        startDate
        endDate
        dataConsumption
        minutesUsed
        smsSent
        plan {
          name
        }
      }
      pageInfo {
        hasNextPage
        endCursor
      }
    }
  }
`);

const Consumption = graphql(`
  query Consumption($planName: String!, $startDate: Date!, $endDate: Date!) {
    consumption(planName: $planName, startDate: $startDate, endDate: $endDate) {
      dataConsumption
      minutesUsed
      smsSent
    }
  }
`);

type Result = { mobileNo: string; plan: string; from: string; to: string; consumption: ResultOf<typeof Consumption>["consumption"] };

type UsageRow = {
  usageId: number;
  plan: string;
  startDate: string;
  endDate: string;
  dataConsumption: number | null;
  minutesUsed: number | null;
  smsSent: number | null;
};

const monthStart = () => `${today().slice(0, 8)}01`;

@customElement("usage-page")
export class UsagePage extends CustomerPage {
  @state() private _result?: Result;

  private _plans = new Task(this, {
    task: async ([mobileNo, session], { signal }) => {
      const data = await customerSession(session).request(NumberPlans, { mobileNo: mobileNo!, first: PAGE_SIZE }, signal);
      return nodesOf(data.planSubscriptions).flatMap((s) => (s.plan ? [s.plan.name] : []));
    },
    args: () => [this._number, this._session] as const,
  });

  private _records = new PagedList(
    this,
    async ([mobileNo, session], after, signal) => {
      const data = await customerSession(session).request(UsageRecords, { mobileNo: mobileNo!, first: PAGE_SIZE, after }, signal);
      const page = data.planUsages;
      return page && { ...page, nodes: nodesOf(page).map(({ plan, ...record }) => ({ ...record, plan: plan?.name ?? "" })) };
    },
    () => [this._number, this._session] as const,
  );

  private _fields(plans: string[]): Field[] {
    return [
      { name: "planName", label: msg("Plan"), type: "select", required: true, options: plans.map((p) => ({ value: p, label: p })) },
      { name: "startDate", label: msg("From"), type: "date", required: true, value: monthStart() },
      {
        name: "endDate",
        label: msg("To"),
        type: "date",
        required: true,
        value: today(),
        check: (v, all) => (v < all.startDate ? msg("The end must not be before the start.") : null),
      },
    ];
  }

  private _submit = async (values: Values) => {
    const session = customerSession(this._session);
    const data = await session.request(Consumption, { planName: values.planName, startDate: values.startDate, endDate: values.endDate });
    this._result = {
      mobileNo: session.mobileNo,
      plan: values.planName,
      from: values.startDate,
      to: values.endDate,
      consumption: data.consumption,
    };
    return "";
  };

  private _consumption(plans: string[]) {
    const r = this._result?.mobileNo === this._number ? this._result : undefined;
    const lang = this._language.lang;
    return html`<div class="grid">
      <section aria-labelledby="period">
        <h2 id="period">${msg("Consumption over a period")}</h2>
        ${
          plans.length
            ? html`<op-form .fields=${this._fields(plans)} .submit=${this._submit} submit-label=${msg("Show consumption")}></op-form>`
            : html`<p class="muted">${msg("This number subscribes to no plan.")}</p>`
        }
      </section>
      <section aria-labelledby="result" aria-live="polite">
        <h2 id="result">${msg("Result")}</h2>
        ${
          r
            ? html`<p>
                  ${msg(str`${r.plan}, ${formatDate(r.from, lang)} to ${formatDate(r.to, lang)} (every number of yours on this plan):`)}
                </p>
                <ul class="plain" data-testid="consumption">
                  <li><span>${msg("Data")}</span><strong>${formatData(r.consumption?.dataConsumption, lang)}</strong></li>
                  <li><span>${msg("Calls")}</span><strong>${formatMinutes(r.consumption?.minutesUsed, lang)}</strong></li>
                  <li><span>${msg("Messages")}</span><strong>${formatSms(r.consumption?.smsSent, lang)}</strong></li>
                </ul>`
            : html`<p class="muted">${msg("Choose a plan and a period.")}</p>`
        }
      </section>
    </div>`;
  }

  private _list(rows: readonly (UsageRow | null)[]) {
    const lang = this._language.lang;
    const records = rows.filter((r): r is UsageRow => r != null);
    if (records.length === 0) return html`<p class="muted">${msg("No usage recorded.")}</p>`;
    return html`<ul class="cards" data-testid="usage-records">
      ${records.map(
        (r) =>
          html`<li>
            <span
              ><strong>${r.plan}</strong><br /><span class="muted"
                >${formatDate(r.startDate, lang)}${r.endDate !== r.startDate ? ` – ${formatDate(r.endDate, lang)}` : ""}</span
              ></span
            >
            <span>${formatData(r.dataConsumption, lang)} · ${formatMinutes(r.minutesUsed, lang)} · ${formatSms(r.smsSent, lang)}</span>
          </li>`,
      )}
    </ul>`;
  }

  render() {
    return html`${pageHeading(msg("Usage"), this._number)} ${taskView(this._plans, (plans) => this._consumption(plans))}
      <section aria-labelledby="records" class="after-grid">
        <h2 id="records">${msg("Usage records of this number")}</h2>
        ${taskView(this._records.task, () => html`${this._list(this._records.rows)} ${this._records.moreButton()}`)}
      </section>`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    "usage-page": UsagePage;
  }
}
