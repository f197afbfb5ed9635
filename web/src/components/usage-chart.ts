/**
 * `<usage-chart>`: one plan's usage this month against its allowance (data, minutes, SMS), as a uPlot
 * bar chart of the share used, with the exact figures in a table beside it.
 */
import { LitElement, css, html } from "lit";
import { customElement, property } from "lit/decorators.js";

/** The plan's monthly allowances. */
export interface Allowances {
  name: string;
  dataOffered: number;
  minutesOffered: number;
  smsOffered: number;
}

/** What was used of them this month. */
export interface Used {
  dataConsumption: number | null;
  minutesUsed: number | null;
  smsSent: number | null;
}
import "./bar-chart.ts";

const percent = (used: number, offered: number) => (offered > 0 ? Math.round((used / offered) * 1000) / 10 : null);

@customElement("usage-chart")
export class UsageChart extends LitElement {
  static styles = css`
    :host {
      display: block;
    }
    table {
      border-collapse: collapse;
      width: 100%;
      margin-top: 0.5rem;
    }
    th,
    td {
      text-align: left;
      padding: 0.25rem 0.4rem;
      border-bottom: 1px solid var(--tc-border, #d1d5db);
    }
    td {
      font-variant-numeric: tabular-nums;
    }
  `;

  @property({ attribute: false }) plan!: Allowances;
  @property({ attribute: false }) usage!: Used;

  render() {
    const { plan, usage } = this;
    const rows = [
      { label: "Data (MB)", used: usage.dataConsumption ?? 0, offered: plan.dataOffered },
      { label: "Minutes", used: usage.minutesUsed ?? 0, offered: plan.minutesOffered },
      { label: "SMS", used: usage.smsSent ?? 0, offered: plan.smsOffered },
    ];
    const summary = `${plan.name} this month: ${rows.map((r) => `${r.label} ${r.used} of ${r.offered}`).join(", ")}`;
    return html`<bar-chart
        .labels=${rows.map((r) => r.label)}
        .series=${[
          { label: "Used (% of allowance)", values: rows.map((r) => percent(r.used, r.offered)), color: "#1d4ed8" },
          { label: "Allowance (100%)", values: rows.map(() => 100), kind: "line", color: "#b91c1c" },
        ]}
        y-label="% of allowance"
        summary=${summary}
      ></bar-chart>
      <table>
        <caption>
          Usage of ${plan.name}
        </caption>
        <thead>
          <tr>
            <th scope="col">Allowance</th>
            <th scope="col">Used</th>
            <th scope="col">Included</th>
          </tr>
        </thead>
        <tbody>
          ${rows.map(
            (r) =>
              html`<tr>
                <th scope="row">${r.label}</th>
                <td>${r.used}</td>
                <td>${r.offered}</td>
              </tr>`,
          )}
        </tbody>
      </table>`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    "usage-chart": UsageChart;
  }
}
