/**
 * `<customer-dashboard>`: the chosen number's balance, points, wallet, active plans and this month's
 * usage per plan, and the person's unresolved tickets. It follows the person's live updates
 * (`myLiveUpdates`): a usage or balance change on this number loads the account again, an alert the
 * alerts, within a second of `record_usage` and without a reload.
 */
import { msg, str } from "@lit/localize";
import { Task } from "@lit/task";
import { html, nothing } from "lit";
import { customElement } from "lit/decorators.js";
import { DashboardQuery, type Dashboard } from "../../../shared/dashboard-query.ts";
import { graphql, nodesOf } from "../api/graphql.ts";
import { LiveSubscription } from "../api/live.ts";
import { holdBanner, pageHeading, taskView } from "../ui.ts";
import { formatData, formatDate, formatMoney, formatNumber, words } from "../words.ts";
import { stillDue } from "../bill-amounts.ts";
import "../components/usage-alerts.ts";
import "../components/usage-chart.ts";
import { CustomerPage, customerSession } from "./customer-page.ts";

const MyLiveUpdates = graphql(`
  subscription MyLiveUpdates {
    myLiveUpdates {
      change
      mobileNo
    }
  }
`);

@customElement("customer-dashboard")
export class CustomerDashboard extends CustomerPage {
  private _data = new Task(this, {
    task: async ([mobileNo, session], { signal }) => customerSession(session).request(DashboardQuery, { mobileNo: mobileNo! }, signal),
    args: () => [this._number, this._session] as const,
  });

  private _live = new LiveSubscription(this, {
    document: MyLiveUpdates,
    session: () => this._session,
    onEvent: ({ myLiveUpdates: update }) => {
      // The person's other numbers are not on this page.
      if (update.mobileNo !== this._number) return;
      if (update.change === "ALERT") this._refreshAlerts();
      else void this._data.run();
    },
    onResync: () => {
      void this._data.run();
      this._refreshAlerts();
    },
  });

  private _refreshAlerts() {
    this.renderRoot.querySelector("usage-alerts")?.refresh();
  }

  private _liveState() {
    const state = this._live.state;
    return html`<p class="muted" data-testid="live-state" data-state=${state}>
      ${
        state === "live"
          ? msg("Usage and balance update here as they happen.")
          : state === "reconnecting"
            ? msg("Reconnecting to live updates… the figures may be a moment behind.")
            : msg("Connecting to live updates…")
      }
    </p>`;
  }

  /** A post-paid number's bill: what is still to pay of the issued one and by when, and what is not billed yet (docs/bills.md). */
  private _bill(data: Dashboard) {
    const lang = this._language.lang;
    const bill = data.customerAccount?.issuedInvoice;
    const due = bill ? stillDue(bill) : "0.00";
    return html`<section aria-labelledby="bill">
      <h2 id="bill">${msg("Your bill")}</h2>
      <p class="stat" data-testid="amount-due">${formatMoney(due, lang)}</p>
      <p class="muted" data-testid="due-date">
        ${bill && Number(due) > 0 ? msg(str`to pay by ${formatDate(bill.dueDate, lang)}`) : msg("Nothing to pay now.")}
      </p>
      <p class="muted" data-testid="unbilled">
        ${msg(str`${formatMoney(data.customerAccount?.unbilledAmount ?? "0", lang)} so far on your next bill`)}
      </p>
      <a href=${bill && Number(due) > 0 ? `/bills/${bill.invoiceNo}` : "/bills"}
        >${bill && Number(due) > 0 ? msg("See and pay the bill") : msg("Your bills")}</a
      >
    </section>`;
  }

  private _content(data: Dashboard) {
    const lang = this._language.lang;
    const account = data.customerAccount;
    const wallets = nodesOf(account?.national?.walletsByNationalId);
    const wallet = wallets.find((w) => w.mobileNo === account?.mobileNo);
    const subscriptions = nodesOf(account?.planSubscriptionsByMobileNo);
    const plans = new Map(subscriptions.flatMap((s) => (s.plan ? [[s.planId, s.plan] as const] : [])));
    const active = subscriptions.filter((s) => s.status === "active");
    const usage = nodesOf(account?.usageCurrentMonth);
    return html`${account?.status === "onhold" ? holdBanner(account.mobileNo) : nothing}
      <div class="grid">
        <section aria-labelledby="balance">
          <h2 id="balance">${msg("Balance")}</h2>
          <p class="stat" data-testid="balance">${formatMoney(account?.balance, lang)}</p>
          <p class="muted" data-testid="account-state">${words(account?.accountType)} · ${words(account?.status)}</p>
          <a href="/payments">${msg("Recharge or pay")}</a>
        </section>
        ${account?.accountType === "post_paid" ? this._bill(data) : nothing}
        <section aria-labelledby="points">
          <h2 id="points">${msg("Points")}</h2>
          <p class="stat" data-testid="points">${formatNumber(account?.points, lang)}</p>
          <a href="/vouchers">${msg("Redeem vouchers")}</a>
        </section>
        <section aria-labelledby="wallet">
          <h2 id="wallet">${msg("Wallet")}</h2>
          ${
            wallet
              ? html`<p class="stat" data-testid="wallet-balance">${formatMoney(wallet.currentBalance, lang, wallet.currency)}</p>
                  <a href="/wallet">${msg("Transfers and cashback")}</a>`
              : html`<p class="muted">${msg("This number has no wallet.")}</p>`
          }
        </section>
        <section aria-labelledby="tickets">
          <h2 id="tickets">${msg("Support")}</h2>
          <p class="stat">${account?.national?.openTicketCount ?? 0}</p>
          <p class="muted">${msg("unresolved tickets on all your numbers")} · <a href="/tickets">${msg("open a ticket")}</a></p>
        </section>
      </div>
      <usage-alerts></usage-alerts>
      <section aria-labelledby="active" class="after-grid">
        <h2 id="active">${msg("Active plans")}</h2>
        ${
          active.length === 0
            ? html`<p class="muted">${msg("No active plans.")} <a href="/plans">${msg("Choose a plan")}</a></p>`
            : html`<ul class="cards" data-testid="active-plans">
                ${active.map((s) => {
                  const plan = plans.get(s.planId);
                  if (!plan) return nothing;
                  const used = usage.find((u) => u.planId === s.planId);
                  const dataLeft = Math.max(plan.dataOffered - (used?.dataConsumption ?? 0), 0);
                  return html`<li>
                    <span
                      ><strong>${plan.name}</strong> · ${msg(str`${formatMoney(plan.price, lang)} a month`)}<br /><span
                        data-testid="plan-left"
                        >${msg(str`${formatData(dataLeft, lang)} left of ${formatData(plan.dataOffered, lang)}, resets on the 1st`)}</span
                      ></span
                    >
                    <span class="muted" data-testid="plan-paid-until"
                      >${s.paidUntil ? msg(str`Paid until ${formatDate(s.paidUntil, lang)}`) : msg("Not paid yet")}</span
                    >
                  </li>`;
                })}
              </ul>`
        }
      </section>
      <section aria-labelledby="usage">
        <h2 id="usage">${msg("Usage this month")}</h2>
        ${
          usage.length === 0
            ? html`<p class="muted">${msg("No usage of this number's active plans this month.")}</p>`
            : html`<div class="grid">
                ${usage.map((u) => {
                  const plan = u.planId == null ? undefined : plans.get(u.planId);
                  return plan
                    ? html`<div>
                        <h3>${u.planName}</h3>
                        <usage-chart .plan=${plan} .usage=${u} lang=${lang}></usage-chart>
                      </div>`
                    : "";
                })}
              </div>`
        }
      </section>`;
  }

  render() {
    return html`${pageHeading(msg("Your account"), this._number)} ${this._liveState()}
    ${taskView(this._data, (data) => this._content(data))}`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    "customer-dashboard": CustomerDashboard;
  }
}
