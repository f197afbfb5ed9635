/**
 * `<usage-chart>`: one plan's usage this month against its allowance (data, minutes, SMS), as a uPlot
 * bar chart of the share used, with the exact figures in a table beside it.
 */
import { localized, msg, str } from "@lit/localize";
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
import { formatData, formatMinutes, formatSms } from "../words.ts";

const percent = (used: number, offered: number) => (offered > 0 ? Math.round((used / offered) * 1000) / 10 : null);

@customElement("usage-chart")
@localized()
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
    .muted {
      color: var(--tc-muted);
      margin: 0.25rem 0 0;
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

  @property() lang = "en";

  render() {
    const { plan, usage, lang } = this;
    const rows = [
      { label: msg("Data"), used: usage.dataConsumption ?? 0, offered: plan.dataOffered, format: formatData },
      { label: msg("Calls"), used: usage.minutesUsed ?? 0, offered: plan.minutesOffered, format: formatMinutes },
      { label: msg("Messages"), used: usage.smsSent ?? 0, offered: plan.smsOffered, format: formatSms },
    ];
    const left = (r: (typeof rows)[number]) =>
      msg(str`${r.format(Math.max(r.offered - r.used, 0), lang)} left of ${r.format(r.offered, lang)}`);
    const figures = rows.map((r) => `${r.label} ${left(r)}`).join(msg(", "));
    const summary = msg(str`${plan.name} this month: ${figures}; resets on the 1st`);
    return html`<bar-chart
        .labels=${rows.map((r) => r.label)}
        .series=${[
          { label: msg("Used (% of allowance)"), values: rows.map((r) => percent(r.used, r.offered)), color: "#1d4ed8" },
          { label: msg("Allowance (100%)"), values: rows.map(() => 100), kind: "line", color: "#b91c1c" },
        ]}
        y-label=${msg("% of allowance")}
        summary=${summary}
      ></bar-chart>
      <table>
        <caption>
          ${msg(str`Usage of ${plan.name} this month`)}
        </caption>
        <thead>
          <tr>
            <th scope="col">${msg("Allowance")}</th>
            <th scope="col">${msg("Used")}</th>
            <th scope="col">${msg("Left")}</th>
          </tr>
        </thead>
        <tbody>
          ${rows.map(
            (r) =>
              html`<tr>
                <th scope="row">${r.label}</th>
                <td>${r.format(r.used, lang)}</td>
                <td data-testid="left">${left(r)}</td>
              </tr>`,
          )}
        </tbody>
      </table>
      <p class="muted">${msg("Resets on the 1st.")}</p>`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    "usage-chart": UsageChart;
  }
}
