/**
 * `<usage-page>`: consumption of a plan over a chosen period (`consumption`), and the usage records.
 */
import { LitElement, html } from "lit";
import { customElement, state } from "lit/decorators.js";
import { Task } from "@lit/task";
import { graphql, type Nodes } from "../api/graphql.ts";
import type { Field, Values } from "../components/op-form.ts";
import "../components/op-form.ts";
import "../components/data-table.ts";
import { pageStyles, taskView, today } from "../ui.ts";

interface Consumption {
  dataConsumption: number | null;
  minutesUsed: number | null;
  smsSent: number | null;
}

interface UsageRecord {
  usageId: number;
  mobileNo: string;
  planId: number;
  startDate: string;
  endDate: string;
  dataConsumption: number;
  minutesUsed: number;
  smsSent: number;
}

const monthStart = () => `${today().slice(0, 8)}01`;

@customElement("usage-page")
export class UsagePage extends LitElement {
  static styles = pageStyles;

  @state() private _result?: { plan: string; from: string; to: string; consumption: Consumption };

  private _data = new Task(this, {
    task: async (_args, { signal }) =>
      graphql<{ servicePlans: Nodes<{ name: string }>; planUsages: Nodes<UsageRecord> }>(
        `
          {
            servicePlans(orderBy: NAME_ASC) {
              nodes {
                name
              }
            }
            planUsages(orderBy: START_DATE_DESC) {
              nodes {
                usageId
                mobileNo
                planId
                startDate
                endDate
                dataConsumption
                minutesUsed
                smsSent
              }
            }
          }
        `,
        {},
        signal,
      ),
    args: () => [],
  });

  private _fields(plans: string[]): Field[] {
    return [
      { name: "planName", label: "Plan", type: "select", required: true, options: plans.map((p) => ({ value: p, label: p })) },
      { name: "startDate", label: "From", type: "date", required: true, value: monthStart() },
      {
        name: "endDate",
        label: "To",
        type: "date",
        required: true,
        value: today(),
        check: (v, all) => (v < all.startDate ? "The end must not be before the start." : null),
      },
    ];
  }

  private _submit = async (values: Values) => {
    const data = await graphql<{ consumption: Consumption }>(
      `
        query Consumption($planName: String!, $startDate: Date!, $endDate: Date!) {
          consumption(planName: $planName, startDate: $startDate, endDate: $endDate) {
            dataConsumption
            minutesUsed
            smsSent
          }
        }
      `,
      values,
    );
    this._result = { plan: values.planName, from: values.startDate, to: values.endDate, consumption: data.consumption };
    return "";
  };

  render() {
    const r = this._result;
    return html`<h1>Usage</h1>
      ${taskView(
        this._data,
        (data) =>
          html`<div class="grid">
              <section aria-labelledby="period">
                <h2 id="period">Consumption over a period</h2>
                <op-form
                  .fields=${this._fields(data.servicePlans.nodes.map((p) => p.name))}
                  .submit=${this._submit}
                  submit-label="Show consumption"
                ></op-form>
              </section>
              <section aria-labelledby="result" aria-live="polite">
                <h2 id="result">Result</h2>
                ${
                  r
                    ? html`<p>${r.plan}, ${r.from} to ${r.to}:</p>
                        <ul class="plain" data-testid="consumption">
                          <li><span>Data</span><strong>${r.consumption.dataConsumption ?? 0} MB</strong></li>
                          <li><span>Minutes</span><strong>${r.consumption.minutesUsed ?? 0}</strong></li>
                          <li><span>SMS</span><strong>${r.consumption.smsSent ?? 0}</strong></li>
                        </ul>`
                    : html`<p class="muted">Choose a plan and a period.</p>`
                }
              </section>
            </div>
            <section aria-labelledby="records" style="margin-top: 1rem">
              <h2 id="records">Usage records</h2>
              <data-table .rows=${data.planUsages.nodes} empty-text="No usage recorded."></data-table>
            </section>`,
      )}`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    "usage-page": UsagePage;
  }
}
