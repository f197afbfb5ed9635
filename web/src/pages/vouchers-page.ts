/**
 * `<vouchers-page>`: the chosen number's points, its highest-value redeemed voucher, the vouchers it
 * redeemed (paged), and the vouchers on offer that it can redeem with points (paged).
 */
import { Task } from "@lit/task";
import { html } from "lit";
import { customElement, state } from "lit/decorators.js";
import { graphql, money, nodesOf, type ResultOf } from "../api/graphql.ts";
import { MoneyAction } from "../api/idempotency.ts";
import { PAGE_SIZE, PagedList } from "../api/paging.ts";
import { pageHeading, taskView, today } from "../ui.ts";
import { CustomerPage, customerSession } from "./customer-page.ts";

const Points = graphql(`
  query VoucherPoints($mobileNo: String!) {
    customerAccount(mobileNo: $mobileNo) {
      points
    }
    accountHighestVoucher(mobileNo: $mobileNo)
  }
`);

const Highest = graphql(`
  query HighestVoucher($voucherId: Int!) {
    voucher(voucherId: $voucherId) {
      voucherId
      value
      shop {
        name
      }
    }
  }
`);

const Redeemed = graphql(`
  query RedeemedVouchers($mobileNo: String!, $first: Int!, $after: Cursor) {
    vouchers(condition: { mobileNo: $mobileNo }, orderBy: VOUCHER_ID_DESC, first: $first, after: $after) {
      nodes {
        voucherId
        value
        expiryDate
        redeemDate
        shop {
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

const Available = graphql(`
  query AvailableVouchers($first: Int!, $after: Cursor) {
    vouchers(condition: { mobileNo: null }, orderBy: [VALUE_DESC, VOUCHER_ID_ASC], first: $first, after: $after) {
      nodes {
        voucherId
        value
        expiryDate
        points
        shop {
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

const Redeem = graphql(`
  mutation Redeem($mobileNo: String!, $voucherId: Int!, $idempotencyKey: UUID!) {
    redeemVoucherPoints(input: { mobileNo: $mobileNo, voucherId: $voucherId, idempotencyKey: $idempotencyKey }) {
      voucher {
        voucherId
        redeemDate
      }
    }
  }
`);

type AvailableVoucher = NonNullable<NonNullable<ResultOf<typeof Available>["vouchers"]>["nodes"][number]>;

@customElement("vouchers-page")
export class VouchersPage extends CustomerPage {
  @state() private _error = "";
  @state() private _message = "";
  @state() private _busy = 0;

  private _points = new Task(this, {
    task: async ([mobileNo, session], { signal }) => {
      const customer = customerSession(session);
      const data = await customer.request(Points, { mobileNo: mobileNo! }, signal);
      const voucherId = data.accountHighestVoucher;
      const highest = voucherId == null ? null : (await customer.request(Highest, { voucherId }, signal)).voucher;
      return { points: data.customerAccount?.points ?? 0, voucherId, highest };
    },
    args: () => [this._number, this._session] as const,
  });

  private _redeemed = new PagedList(
    this,
    async ([mobileNo, session], after, signal) =>
      (await customerSession(session).request(Redeemed, { mobileNo: mobileNo!, first: PAGE_SIZE, after }, signal)).vouchers,
    () => [this._number, this._session] as const,
  );

  /** The offer is the same for every number; reloaded with the login. */
  private _available = new PagedList(
    this,
    async ([session], after, signal) => (await customerSession(session).request(Available, { first: PAGE_SIZE, after }, signal)).vouchers,
    () => [this._session] as const,
  );

  private _redeemAction = new MoneyAction();

  private async _redeem(voucher: AvailableVoucher) {
    this._error = "";
    this._message = "";
    this._busy = voucher.voucherId;
    try {
      const session = customerSession(this._session);
      const variables = { mobileNo: session.mobileNo, voucherId: voucher.voucherId };
      await this._redeemAction.run(variables, (idempotencyKey) => session.request(Redeem, { ...variables, idempotencyKey }));
      this._message = `Voucher #${voucher.voucherId} (${money(voucher.value)} EGP) is yours; ${voucher.points} points of ${session.mobileNo} were used.`;
      void this._points.run();
      void this._redeemed.task.run();
      void this._available.task.run();
    } catch (error) {
      this._error = (error as Error).message;
    } finally {
      this._busy = 0;
    }
  }

  private _offer() {
    const available = this._available.rows.flatMap((v) => (v && v.expiryDate >= today() ? [v] : []));
    return html`${
      available.length === 0
        ? html`<p class="muted">No vouchers on offer right now.</p>`
        : html`<ul class="plain" data-testid="available-vouchers">
            ${available.map(
              (v) =>
                html`<li>
                  <span
                    ><strong>${money(v.value)} EGP</strong> at ${v.shop?.name ?? "a shop"} · ${v.points} points · until
                    ${v.expiryDate}</span
                  >
                  <button
                    type="button"
                    ?disabled=${this._busy === v.voucherId}
                    aria-label=${`Redeem voucher ${v.voucherId} for ${v.points} points`}
                    @click=${() => this._redeem(v)}
                  >
                    Redeem
                  </button>
                </li>`,
            )}
          </ul>`
    }
    ${this._available.moreButton()}`;
  }

  private _mine() {
    const mine = nodesOf({ nodes: this._redeemed.rows });
    return html`${
      mine.length === 0
        ? html`<p class="muted">None yet.</p>`
        : html`<ul class="plain" data-testid="my-vouchers">
            ${mine.map(
              (v) =>
                html`<li>
                  <span><strong>#${v.voucherId}</strong> ${money(v.value)} EGP at ${v.shop?.name ?? "a shop"}</span
                  ><span>redeemed ${v.redeemDate} · expires ${v.expiryDate}</span>
                </li>`,
            )}
          </ul>`
    }
    ${this._redeemed.moreButton()}`;
  }

  render() {
    return html`${pageHeading("Vouchers", this._number)}
      <div aria-live="polite">
        ${this._error ? html`<p class="error" role="alert">${this._error}</p>` : ""}
        ${this._message ? html`<p role="status">${this._message}</p>` : ""}
      </div>
      ${taskView(
        this._points,
        ({ points, voucherId, highest }) =>
          html`<div class="grid">
            <section aria-labelledby="points">
              <h2 id="points">Points of this number</h2>
              <p class="stat" data-testid="points">${points}</p>
            </section>
            <section aria-labelledby="highest">
              <h2 id="highest">Highest voucher redeemed</h2>
              ${
                voucherId == null
                  ? html`<p class="muted">This number has not redeemed a voucher yet.</p>`
                  : html`<p data-testid="highest-voucher">
                      Voucher #${voucherId}${highest ? ` · ${money(highest.value)} EGP at ${highest.shop?.name ?? "a shop"}` : ""}
                    </p>`
              }
            </section>
          </div>`,
      )}
      <section aria-labelledby="available" class="after-grid">
        <h2 id="available">Redeem with points</h2>
        ${taskView(this._available.task, () => this._offer())}
      </section>
      <section aria-labelledby="mine">
        <h2 id="mine">Vouchers of this number</h2>
        ${taskView(this._redeemed.task, () => this._mine())}
      </section>`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    "vouchers-page": VouchersPage;
  }
}
