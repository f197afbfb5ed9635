/**
 * `<vouchers-page>`: the highest-value voucher the account redeemed, the vouchers it has, and the
 * vouchers on offer that can be redeemed with points.
 */
import { LitElement, html } from "lit";
import { customElement, state } from "lit/decorators.js";
import { Task } from "@lit/task";
import { graphql, money, type Nodes } from "../api/graphql.ts";
import { customer } from "../api/session.ts";
import type { Account } from "../api/types.ts";
import { pageStyles, taskView, today } from "../ui.ts";

interface Voucher {
  voucherId: number;
  value: string;
  expiryDate: string;
  points: number;
  shopId: number;
  mobileNo: string | null;
  redeemDate: string | null;
}

interface VouchersData {
  vouchers: Nodes<Voucher>;
  shops: Nodes<{ shopId: number; name: string }>;
  customerAccounts: Nodes<Pick<Account, "mobileNo" | "points">>;
  accountHighestVoucher: number | null;
}

const QUERY = `query Vouchers($mobileNo: String!) {
  vouchers(orderBy: VALUE_DESC) { nodes { voucherId value expiryDate points shopId mobileNo redeemDate } }
  shops { nodes { shopId name } }
  customerAccounts { nodes { mobileNo points } }
  accountHighestVoucher(mobileNo: $mobileNo)
}`;

@customElement("vouchers-page")
export class VouchersPage extends LitElement {
  static styles = pageStyles;

  @state() private _error = "";
  @state() private _message = "";
  @state() private _busy = 0;

  private _data = new Task(this, {
    task: async (_args, { signal }) => graphql<VouchersData>(QUERY, { mobileNo: customer().mobileNo }, signal),
    args: () => [],
  });

  private async _redeem(voucher: Voucher) {
    this._error = "";
    this._message = "";
    this._busy = voucher.voucherId;
    try {
      await graphql(
        `
          mutation Redeem($mobileNo: String!, $voucherId: Int!) {
            redeemVoucherPoints(input: { mobileNo: $mobileNo, voucherId: $voucherId }) {
              clientMutationId
            }
          }
        `,
        {
          mobileNo: customer().mobileNo,
          voucherId: voucher.voucherId,
        },
      );
      this._message = `Voucher #${voucher.voucherId} (${money(voucher.value)} EGP) is yours; ${voucher.points} points were used.`;
      this._data.run();
    } catch (error) {
      this._error = (error as Error).message;
    } finally {
      this._busy = 0;
    }
  }

  private _content(data: VouchersData) {
    const { mobileNo } = customer();
    const shops = new Map(data.shops.nodes.map((s) => [s.shopId, s.name]));
    const points = data.customerAccounts.nodes.find((a) => a.mobileNo === mobileNo)?.points ?? 0;
    const mine = data.vouchers.nodes.filter((v) => v.mobileNo === mobileNo);
    const available = data.vouchers.nodes.filter((v) => v.mobileNo === null && v.expiryDate >= today());
    const highest = data.vouchers.nodes.find((v) => v.voucherId === data.accountHighestVoucher);
    return html`<div aria-live="polite">
        ${this._error ? html`<p class="error" role="alert">${this._error}</p>` : ""}
        ${this._message ? html`<p role="status">${this._message}</p>` : ""}
      </div>
      <div class="grid">
        <section aria-labelledby="points">
          <h2 id="points">Your points</h2>
          <p class="stat" data-testid="points">${points}</p>
        </section>
        <section aria-labelledby="highest">
          <h2 id="highest">Your highest voucher</h2>
          ${
            data.accountHighestVoucher == null
              ? html`<p class="muted">You have not redeemed a voucher yet.</p>`
              : html`<p data-testid="highest-voucher">
                  Voucher
                  #${data.accountHighestVoucher}${highest ? ` · ${money(highest.value)} EGP at ${shops.get(highest.shopId) ?? `shop ${highest.shopId}`}` : ""}
                </p>`
          }
        </section>
      </div>
      <section aria-labelledby="available" style="margin-top: 1rem">
        <h2 id="available">Redeem with points</h2>
        ${
          available.length === 0
            ? html`<p class="muted">No vouchers on offer right now.</p>`
            : html`<ul class="plain" data-testid="available-vouchers">
                ${available.map(
                  (v) =>
                    html`<li>
                      <span
                        ><strong>${money(v.value)} EGP</strong> at ${shops.get(v.shopId) ?? `shop ${v.shopId}`} · ${v.points} points · until
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
      </section>
      <section aria-labelledby="mine">
        <h2 id="mine">Your vouchers</h2>
        ${
          mine.length === 0
            ? html`<p class="muted">None yet.</p>`
            : html`<ul class="plain" data-testid="my-vouchers">
                ${mine.map(
                  (v) =>
                    html`<li>
                      <span><strong>#${v.voucherId}</strong> ${money(v.value)} EGP at ${shops.get(v.shopId) ?? `shop ${v.shopId}`}</span
                      ><span>redeemed ${v.redeemDate} · expires ${v.expiryDate}</span>
                    </li>`,
                )}
              </ul>`
        }
      </section>`;
  }

  render() {
    return html`<h1>Vouchers</h1>
      ${taskView(this._data, (data) => this._content(data))}`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    "vouchers-page": VouchersPage;
  }
}
