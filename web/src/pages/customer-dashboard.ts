/**
 * `<customer-dashboard>`: balance, points, wallet, active plans and this month's usage per plan.
 */
import { LitElement, html } from "lit";
import { customElement } from "lit/decorators.js";
import { Task } from "@lit/task";
import { graphql, money } from "../api/graphql.ts";
import { customer } from "../api/session.ts";
import { DASHBOARD_QUERY, type Dashboard } from "../api/dashboard-query.ts";
import { pageStyles, taskView } from "../ui.ts";
import "../components/usage-chart.ts";

@customElement("customer-dashboard")
export class CustomerDashboard extends LitElement {
  static styles = pageStyles;

  private _data = new Task(this, {
    task: async (_args, { signal }) => graphql<Dashboard>(DASHBOARD_QUERY, { mobileNo: customer().mobileNo }, signal),
    args: () => [],
  });

  private _content(data: Dashboard) {
    const account = data.customerAccount;
    const wallets = account?.national?.walletsByNationalId.nodes ?? [];
    const wallet = wallets.find((w) => w.mobileNo === account?.mobileNo) ?? wallets[0];
    const subscriptions = account?.subscriptionsByMobileNo.nodes ?? [];
    const plans = new Map(subscriptions.flatMap((s) => (s.plan ? [[s.planId, s.plan] as const] : [])));
    const active = subscriptions.filter((s) => s.status === "active");
    const usage = account?.usageCurrentMonth.nodes ?? [];
    return html`<div class="grid">
        <section aria-labelledby="balance">
          <h2 id="balance">Balance</h2>
          <p class="stat" data-testid="balance">${money(account?.balance)} EGP</p>
          <p class="muted">${account?.accountType.replace(/_/g, " ")} · ${account?.status}</p>
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
              ? html`<p class="stat" data-testid="wallet-balance">${money(wallet.currentBalance)} ${wallet.currency}</p>
                  <a href="/wallet">Transfers and cashback</a>`
              : html`<p class="muted">You have no wallet.</p>`
          }
        </section>
        <section aria-labelledby="tickets">
          <h2 id="tickets">Support</h2>
          <p class="stat">${account?.national?.openTicketCount ?? 0}</p>
          <p class="muted">unresolved tickets · <a href="/tickets">open a ticket</a></p>
        </section>
      </div>
      <section aria-labelledby="active" style="margin-top: 1rem">
        <h2 id="active">Active plans</h2>
        ${
          active.length === 0
            ? html`<p class="muted">No active plans. <a href="/plans">Choose a plan</a></p>`
            : html`<ul class="plain">
                ${active.map((s) => {
                  const plan = plans.get(s.planId);
                  return html`<li>
                    <strong>${plan?.name ?? `Plan ${s.planId}`}</strong
                    ><span>${money(plan?.price)} EGP / month · since ${s.subscriptionDate}</span>
                  </li>`;
                })}
              </ul>`
        }
      </section>
      <section aria-labelledby="usage">
        <h2 id="usage">Usage this month</h2>
        ${
          usage.length === 0
            ? html`<p class="muted">No usage of your active plans this month.</p>`
            : html`<div class="grid">
                ${usage.map((u) => {
                  const plan = plans.get(u.planId);
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
    return html`<h1>Your account</h1>
      ${taskView(this._data, (data) => this._content(data))}`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    "customer-dashboard": CustomerDashboard;
  }
}
