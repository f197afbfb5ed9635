/**
 * `<admin-dashboard>`: the business figures computed in SQL (materialized views refreshed every few
 * minutes, with their "as of" time): KPI tiles with the change from last month, charts of the last
 * twelve months, a slot for the live usage panel, customer search, and a link to every report.
 */
import { css, html, nothing } from "lit";
import { customElement, state } from "lit/decorators.js";
import { Task } from "@lit/task";
import "../components/bar-chart.ts";
import { graphql, money, nodesOf, type ResultOf } from "../api/graphql.ts";
import { navigate } from "../router.ts";
import { buttonStyles, pageStyles, taskView } from "../ui.ts";
import { AdminPage, adminSession } from "./admin-page.ts";
import { AdminFigures } from "../../../shared/admin-figures.ts";
import { REPORTS } from "../../../shared/admin-reports.ts";

const RefreshFigures = graphql(`
  mutation RefreshFigures {
    refreshAdminFigures(input: {}) {
      result
    }
  }
`);

type Figures = ResultOf<typeof AdminFigures>;

/** "2026-11-01" → "Nov 2026". */
const monthLabel = (month: string) =>
  new Date(`${month}T00:00:00Z`).toLocaleDateString("en", { month: "short", year: "numeric", timeZone: "UTC" });

/** The first day of this month and of last month, as the figures key them. */
function months(today = new Date()): [string, string] {
  const first = (d: Date) => `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, "0")}-01`;
  return [first(today), first(new Date(today.getFullYear(), today.getMonth() - 1, 1))];
}

interface Tile {
  label: string;
  value: string;
  /** The change from last month, in percent; null when there is nothing to compare with. */
  change: number | null;
  note: string;
  href: string;
}

function change(now: number, before: number | undefined): number | null {
  if (!before) return null;
  return Math.round(((now - before) / before) * 1000) / 10;
}

/** The tiles: this month against last month (this month is still running, which the note says). */
export function tilesOf(figures: Figures): Tile[] {
  const [thisMonth, lastMonth] = months();
  const byMonth = <T extends { month: string }>(rows: T[]) => [
    rows.find((r) => r.month === thisMonth),
    rows.find((r) => r.month === lastMonth),
  ];
  const [revenue, revenueBefore] = byMonth(nodesOf(figures.revenuePerMonths));
  const [accounts, accountsBefore] = byMonth(nodesOf(figures.newAccountsPerMonths));
  const [wallet, walletBefore] = byMonth(nodesOf(figures.walletVolumePerMonths));
  const onHold = nodesOf(figures.accountStatusCounts).find((r) => r.status === "onhold")?.accounts ?? 0;
  const active = nodesOf(figures.accountStatusCounts).find((r) => r.status === "active")?.accounts ?? 0;
  const tickets = nodesOf(figures.openTicketsByPriorities);
  const open = tickets.reduce((sum, t) => sum + (t.openTickets ?? 0) + (t.inProgressTickets ?? 0), 0);
  const urgent = tickets
    .filter((t) => (t.priorityLevel ?? 0) >= 4)
    .reduce((sum, t) => sum + (t.openTickets ?? 0) + (t.inProgressTickets ?? 0), 0);
  const sofar = "this month so far, against last month";
  const arpu = nodesOf(figures.arpus)[0];
  const plans = nodesOf(figures.payingSubscribersPerPlans);
  return [
    {
      label: "Revenue",
      value: `${money(revenue?.revenue ?? 0)} EGP`,
      change: change(Number(revenue?.revenue ?? 0), revenueBefore ? Number(revenueBefore.revenue) : undefined),
      note: sofar,
      href: "/admin/account-payments",
    },
    {
      label: "Paying subscribers",
      value: (arpu?.payingSubscribers ?? 0).toLocaleString("en"),
      change: null,
      note: `accounts with a plan paid for today, across ${plans.filter((p) => (p.payingSubscribers ?? 0) > 0).length} plans`,
      href: "/admin/account-plan",
    },
    {
      label: "ARPU",
      value: `${money(arpu?.arpu ?? 0)} EGP`,
      change: null,
      note: `revenue of the last 30 days (${money(arpu?.revenue ?? 0)} EGP) per paying subscriber`,
      href: "/admin/account-payments",
    },
    {
      label: "New accounts",
      value: (accounts?.newAccounts ?? 0).toLocaleString("en"),
      change: change(accounts?.newAccounts ?? 0, accountsBefore?.newAccounts ?? undefined),
      note: sofar,
      href: "/admin/all-customer-accounts",
    },
    {
      label: "Wallet transfers",
      value: `${money(wallet?.transferAmount ?? 0)} EGP`,
      change: change(Number(wallet?.transferAmount ?? 0), walletBefore ? Number(walletBefore.transferAmount) : undefined),
      note: `${(wallet?.transferCount ?? 0).toLocaleString("en")} transfers, ${money(wallet?.cashbackAmount ?? 0)} EGP cashback`,
      href: "/admin/customer-wallets",
    },
    {
      label: "Accounts on hold",
      value: onHold.toLocaleString("en"),
      change: null,
      note: `of ${(onHold + active).toLocaleString("en")} accounts`,
      href: "/admin/manage",
    },
    {
      label: "Open tickets",
      value: open.toLocaleString("en"),
      change: null,
      note: `${urgent.toLocaleString("en")} of priority 4 or 5`,
      href: "/admin/manage",
    },
  ];
}

@customElement("admin-dashboard")
export class AdminDashboard extends AdminPage {
  static styles = [
    pageStyles,
    buttonStyles,
    css`
      ul.links {
        margin: 0;
        padding-left: 1.2rem;
        line-height: 1.9;
      }
      .tiles {
        display: grid;
        gap: 1rem;
        grid-template-columns: repeat(auto-fit, minmax(min(100%, 11rem), 1fr));
        margin-bottom: 1rem;
      }
      .tile {
        margin: 0;
      }
      .tile a {
        color: inherit;
        text-decoration: none;
      }
      .tile .value {
        font-size: 1.5rem;
        font-weight: 700;
        margin: 0.25rem 0;
      }
      .up {
        color: var(--tc-ok, #15803d);
      }
      .down {
        color: var(--tc-danger, #b91c1c);
      }
      .muted {
        color: var(--tc-muted, #4b5563);
        font-size: 0.9rem;
      }
      form.search {
        display: flex;
        gap: 0.5rem;
        flex-wrap: wrap;
      }
      form.search input {
        font: inherit;
        padding: 0.4rem;
        border: 1px solid var(--tc-border, #d1d5db);
        border-radius: 6px;
        flex: 1 1 14rem;
      }
    `,
  ];

  @state() private _refreshing = false;
  @state() private _refreshError = "";

  private _figures = new Task(this, {
    task: async ([session], { signal }) => adminSession(session).request(AdminFigures, {}, signal),
    args: () => [this._session] as const,
  });

  private async _refresh() {
    this._refreshing = true;
    this._refreshError = "";
    try {
      await adminSession(this._session).request(RefreshFigures, {});
      this._figures.run();
    } catch (error) {
      this._refreshError = (error as Error).message;
    } finally {
      this._refreshing = false;
    }
  }

  private _search(event: SubmitEvent) {
    event.preventDefault();
    const query = new FormData(event.target as HTMLFormElement).get("q")?.toString().trim() ?? "";
    if (!query) return;
    navigate(`/admin/customers?q=${encodeURIComponent(query)}`);
  }

  private _links(kind: "view" | "operation") {
    return html`<ul class="links">
      ${REPORTS.filter((r) => r.kind === kind).map((r) => html`<li><a href=${`/admin/${r.key}`}>${r.title}</a></li>`)}
    </ul>`;
  }

  private _tiles(figures: Figures) {
    return html`<div class="tiles" role="list" aria-label="Key figures">
      ${tilesOf(figures).map(
        (tile) =>
          html`<section class="tile" role="listitem">
            <a href=${tile.href}>
              <h2>${tile.label}</h2>
              <p class="value">${tile.value}</p>
              ${
                tile.change === null
                  ? nothing
                  : html`<p class=${tile.change >= 0 ? "up" : "down"}>
                      ${tile.change >= 0 ? "▲" : "▼"} ${Math.abs(tile.change)} % from last month
                    </p>`
              }
              <p class="muted">${tile.note}</p>
            </a>
          </section>`,
      )}
    </div>`;
  }

  private _charts(figures: Figures) {
    const revenue = nodesOf(figures.revenuePerMonths).reverse();
    const usage = nodesOf(figures.usagePerMonths).reverse();
    const wallet = nodesOf(figures.walletVolumePerMonths).reverse();
    const accounts = nodesOf(figures.newAccountsPerMonths).reverse();
    const charts = [
      {
        title: "Revenue per month",
        labels: revenue.map((r) => monthLabel(r.month)),
        series: [{ label: "Successful payments (EGP)", values: revenue.map((r) => Number(r.revenue)), color: "#1d4ed8" }],
        yLabel: "EGP",
      },
      {
        title: "Usage per month",
        labels: usage.map((r) => monthLabel(r.month)),
        series: [
          { label: "Data (GB)", values: usage.map((r) => Math.round(Number(r.dataMb) / 102.4) / 10), color: "#1d4ed8" },
          { label: "Minutes (thousands)", values: usage.map((r) => Number(r.minutes) / 1000), kind: "line" as const, color: "#b91c1c" },
          { label: "SMS (thousands)", values: usage.map((r) => Number(r.sms) / 1000), kind: "line" as const, color: "#15803d" },
        ],
        yLabel: "amount",
      },
      {
        title: "Wallet volume per month",
        labels: wallet.map((r) => monthLabel(r.month)),
        series: [
          { label: "Transfers (EGP)", values: wallet.map((r) => Number(r.transferAmount)), color: "#1d4ed8" },
          { label: "Cashback (EGP)", values: wallet.map((r) => Number(r.cashbackAmount)), kind: "line" as const, color: "#15803d" },
        ],
        yLabel: "EGP",
      },
      {
        title: "New accounts per month",
        labels: accounts.map((r) => monthLabel(r.month)),
        series: [{ label: "New accounts", values: accounts.map((r) => r.newAccounts ?? 0), color: "#7c3aed" }],
        yLabel: "accounts",
      },
    ];
    const plans = nodesOf(figures.payingSubscribersPerPlans);
    charts.push({
      title: "Paying subscribers per plan",
      labels: plans.map((p) => p.name ?? `Plan ${p.planId}`),
      series: [{ label: "Paid for today", values: plans.map((p) => p.payingSubscribers ?? 0), color: "#0f766e" }],
      yLabel: "subscribers",
    });
    const tickets = nodesOf(figures.openTicketsByPriorities);
    return html`<div class="grid after-grid">
      ${charts.map(
        (chart, i) =>
          html`<section aria-labelledby=${`chart-${i}`}>
            <h2 id=${`chart-${i}`}>${chart.title}</h2>
            <bar-chart
              .labels=${chart.labels}
              .series=${chart.series}
              y-label=${chart.yLabel}
              summary=${`${chart.title}: ${chart.labels.map((l, j) => `${l} ${chart.series.map((s) => s.values[j]).join(" / ")}`).join(", ")}`}
            ></bar-chart>
          </section>`,
      )}
      <section aria-labelledby="tickets">
        <h2 id="tickets">Open tickets by priority</h2>
        <bar-chart
          .labels=${tickets.map((t) => `Priority ${t.priorityLevel}`)}
          .series=${[
            { label: "Open", values: tickets.map((t) => t.openTickets ?? 0), color: "#b91c1c" },
            { label: "In progress", values: tickets.map((t) => t.inProgressTickets ?? 0), color: "#f59e0b" },
          ]}
          y-label="tickets"
          summary=${`Open tickets by priority: ${tickets.map((t) => `priority ${t.priorityLevel}: ${t.openTickets} open, ${t.inProgressTickets} in progress`).join("; ")}`}
        ></bar-chart>
      </section>
    </div>`;
  }

  render() {
    return html`<h1>Administration</h1>
      <section aria-labelledby="search">
        <h2 id="search">Find a customer</h2>
        <form class="search" role="search" @submit=${this._search}>
          <input name="q" type="search" aria-labelledby="search" placeholder="Number, name, national id or e-mail" />
          <button type="submit">Search</button>
        </form>
      </section>
      ${taskView(this._figures, (figures) => {
        const asOf = nodesOf(figures.revenuePerMonths)[0]?.asOf ?? nodesOf(figures.openTicketsByPriorities)[0]?.asOf;
        return html`<p class="muted" role="status">
            Figures as of ${asOf ? new Date(asOf).toLocaleString("en") : "—"} (recomputed every few minutes).
            <button type="button" class="secondary" ?disabled=${this._refreshing} @click=${() => this._refresh()}>
              ${this._refreshing ? "Refreshing…" : "Refresh now"}
            </button>
            ${this._refreshError ? html`<span class="error" role="alert">${this._refreshError}</span>` : nothing}
          </p>
          ${this._tiles(figures)} ${this._charts(figures)}`;
      })}
      <section aria-labelledby="live" class="after-grid" id="usage-live">
        <h2 id="live">Live usage</h2>
        <slot name="usage-live"><p class="muted">The live usage panel (usage in real time) appears here.</p></slot>
      </section>
      <div class="grid">
        <section aria-labelledby="views">
          <h2 id="views">Reports</h2>
          ${this._links("view")}
        </section>
        <section aria-labelledby="operations">
          <h2 id="operations">Account operations</h2>
          ${this._links("operation")}
        </section>
        <section aria-labelledby="tools">
          <h2 id="tools">Tools</h2>
          <ul class="links">
            <li><a href="/admin/customers">Customers</a>: search, one page per person</li>
            <li><a href="/admin/bills">Bills</a>: bill runs, the ageing report, barred accounts, credit notes</li>
            <li><a href="/admin/manage">Manage plans, shops, vouchers, tickets and accounts</a></li>
            <li><a href="/admin/data-model">Data model</a>: every table, key and relation</li>
            <li>
              <a href=${`/graphiql#token=${this._session?.token ?? ""}`} target="_blank" rel="noopener">GraphiQL (signed in as you)</a>
            </li>
          </ul>
        </section>
      </div>`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    "admin-dashboard": AdminDashboard;
  }
}
