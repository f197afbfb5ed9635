/**
 * `<customer-dashboard>`: the chosen number's balance, points, wallet, active plans and this month's
 * usage per plan, and the person's unresolved tickets.
 */
import { Task } from "@lit/task";
import { html } from "lit";
import { customElement } from "lit/decorators.js";
import { DashboardQuery, type Dashboard } from "../api/dashboard-query.ts";
import { money, nodesOf } from "../api/graphql.ts";
import { pageHeading, taskView } from "../ui.ts";
import "../components/usage-chart.ts";
import { CustomerPage, customerSession } from "./customer-page.ts";

const STATUS: Record<string, string> = { active: "active", onhold: "on hold" };

@customElement("customer-dashboard")
export class CustomerDashboard extends CustomerPage {
  private _data = new Task(this, {
    task: async ([mobileNo, session], { signal }) => customerSession(session).request(DashboardQuery, { mobileNo: mobileNo! }, signal),
    args: () => [this._number, this._session] as const,
  });

  private _content(data: Dashboard) {
    const lang = this._language.lang;
    const account = data.customerAccount;
    const wallets = nodesOf(account?.national?.walletsByNationalId);
    const wallet = wallets.find((w) => w.mobileNo === account?.mobileNo);
    const subscriptions = nodesOf(account?.planSubscriptionsByMobileNo);
    const plans = new Map(subscriptions.flatMap((s) => (s.plan ? [[s.planId, s.plan] as const] : [])));
    const active = subscriptions.filter((s) => s.status === "active");
    const usage = nodesOf(account?.usageCurrentMonth);
    return html`<div class="grid">
        <section aria-labelledby="balance">
          <h2 id="balance">Balance</h2>
          <p class="stat" data-testid="balance">${money(account?.balance, lang)} EGP</p>
          <p class="muted">${account?.accountType.replace(/_/g, " ")} · ${STATUS[account?.status ?? ""] ?? account?.status}</p>
          <a href="/payments">Recharge or pay</a>
        </section>
        <section aria-labelledby="points">
          <h2 id="points">Points</h2>
          <p class="stat" data-testid="points">${account?.points ?? 0}</p>
          <a href="/vouchers">Redeem vouchers</a>
        </section>
        <section aria-labelledby="wallet">
          <h2 id="wallet">Wallet</h2>
          ${
            wallet
              ? html`<p class="stat" data-testid="wallet-balance">${money(wallet.currentBalance, lang)} ${wallet.currency}</p>
                  <a href="/wallet">Transfers and cashback</a>`
              : html`<p class="muted">This number has no wallet.</p>`
          }
        </section>
        <section aria-labelledby="tickets">
          <h2 id="tickets">Support</h2>
          <p class="stat">${account?.national?.openTicketCount ?? 0}</p>
          <p class="muted">unresolved tickets on all your numbers · <a href="/tickets">open a ticket</a></p>
        </section>
      </div>
      <section aria-labelledby="active" class="after-grid">
        <h2 id="active">Active plans</h2>
        ${
          active.length === 0
            ? html`<p class="muted">No active plans. <a href="/plans">Choose a plan</a></p>`
            : html`<ul class="plain">
                ${active.map((s) => {
                  const plan = plans.get(s.planId);
                  return html`<li>
                    <strong>${plan?.name ?? `Plan ${s.planId}`}</strong
                    ><span>${money(plan?.price, lang)} EGP / month · since ${s.subscriptionDate}</span>
                  </li>`;
                })}
              </ul>`
        }
      </section>
      <section aria-labelledby="usage">
        <h2 id="usage">Usage this month</h2>
        ${
          usage.length === 0
            ? html`<p class="muted">No usage of this number's active plans this month.</p>`
            : html`<div class="grid">
                ${usage.map((u) => {
                  const plan = u.planId == null ? undefined : plans.get(u.planId);
                  return plan
                    ? html`<div>
                        <h3>${u.planName}</h3>
                        <usage-chart .plan=${plan} .usage=${u}></usage-chart>
                      </div>`
                    : "";
                })}
              </div>`
        }
      </section>`;
  }

  render() {
    return html`${pageHeading("Your account", this._number)} ${taskView(this._data, (data) => this._content(data))}`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    "customer-dashboard": CustomerDashboard;
  }
}
