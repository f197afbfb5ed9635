/**
 * `<vouchers-page>`: the chosen number's points, its highest-value redeemed voucher, the vouchers it
 * redeemed (paged), and the vouchers on offer that it can redeem with points (paged).
 */
import { msg, str } from "@lit/localize";
import { Task } from "@lit/task";
import { html, nothing } from "lit";
import { customElement } from "lit/decorators.js";
import { VoucherLine } from "../../../shared/fragments.ts";
import { graphql, nodesOf, type ResultOf } from "../api/graphql.ts";
import { ConfirmAction } from "../components/confirm-action.ts";
import { recordedReceipt } from "../receipts.ts";
import { formatDate, formatMoney, formatNumber } from "../words.ts";
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

const Redeemed = graphql(
  `
    query RedeemedVouchers($mobileNo: String!, $first: Int!, $after: Cursor) {
      vouchers(condition: { mobileNo: $mobileNo }, orderBy: VOUCHER_ID_DESC, first: $first, after: $after) {
        nodes {
          ...VoucherLine
          redeemDate
        }
        pageInfo {
          hasNextPage
          endCursor
        }
      }
    }
  `,
  [VoucherLine],
);

const Available = graphql(
  `
    query AvailableVouchers($first: Int!, $after: Cursor) {
      vouchers(condition: { mobileNo: null }, orderBy: [VALUE_DESC, VOUCHER_ID_ASC], first: $first, after: $after) {
        nodes {
          ...VoucherLine
          points
        }
        pageInfo {
          hasNextPage
          endCursor
        }
      }
    }
  `,
  [VoucherLine],
);

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
  private _confirm = new ConfirmAction(this);

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

  private _redeem(voucher: AvailableVoucher, points: number) {
    const lang = this._language.lang;
    const shop = voucher.shop?.name ?? "a shop";
    this._confirm.ask(
      `redeem-${voucher.voucherId}`,
      {
        title: msg(str`Redeem ${formatMoney(voucher.value, lang)} at ${shop}?`),
        lines: [
          [msg("Voucher"), msg(str`${formatMoney(voucher.value, lang)} at ${shop}`)],
          [msg("Points used"), msg(str`${voucher.points.toLocaleString(lang)} of ${points.toLocaleString(lang)}`)],
          [msg("Points left"), (points - voucher.points).toLocaleString(lang)],
          [msg("Use it by"), formatDate(voucher.expiryDate, lang)],
        ],
        note: msg("Points used for a voucher are not given back."),
        action: msg(str`Redeem for ${voucher.points} points`),
      },
      async () => {
        const session = customerSession(this._session);
        const variables = { mobileNo: session.mobileNo, voucherId: voucher.voucherId };
        const data = await this._redeemAction.run(variables, (idempotencyKey) => session.request(Redeem, { ...variables, idempotencyKey }));
        void this._points.run();
        void this._redeemed.task.run();
        void this._available.task.run();
        return recordedReceipt(
          session,
          {
            title: msg("Voucher redeemed"),
            reference: msg(str`VCH-${data.redeemVoucherPoints?.voucher?.voucherId ?? voucher.voucherId}`),
            lines: [
              [msg("Voucher"), msg(str`${formatMoney(voucher.value, lang)} at ${shop}`)],
              [msg("Points used"), voucher.points.toLocaleString(lang)],
              [msg("Number"), session.mobileNo],
              [msg("Use it by"), formatDate(voucher.expiryDate, lang)],
            ],
          },
          lang,
        );
      },
    );
  }

  private _offer() {
    const lang = this._language.lang;
    const points = this._points.value?.points ?? 0;
    const available = this._available.rows.flatMap((v) => (v && v.expiryDate >= today() ? [v] : []));
    return html`${
      available.length === 0
        ? html`<p class="muted">${msg("No vouchers on offer right now.")}</p>`
        : html`<ul class="cards" data-testid="available-vouchers">
            ${available.map((v) => {
              const shop = v.shop?.name ?? msg("a shop");
              const short = v.points - points;
              const reasonId = `short-${v.voucherId}`;
              return html`<li>
                <span
                  ><strong>${msg(str`${formatMoney(v.value, lang)} at ${shop}`)}</strong><br /><span class="muted"
                    >${msg(str`${formatNumber(v.points, lang)} points · until ${formatDate(v.expiryDate, lang)}`)}</span
                  >${short > 0 ? html`<br /><span class="muted" id=${reasonId}>${msg(str`You need ${formatNumber(short, lang)} more points.`)}</span>` : nothing}</span
                >
                <button
                  type="button"
                  ?disabled=${short > 0 || this._confirm.isPending(`redeem-${v.voucherId}`)}
                  aria-describedby=${short > 0 ? reasonId : nothing}
                  @click=${() => this._redeem(v, points)}
                >
                  ${msg(str`Redeem ${formatMoney(v.value, lang)} at ${shop}`)}
                </button>
                ${this._confirm.confirmation(`redeem-${v.voucherId}`)}
              </li>`;
            })}
          </ul>`
    }
    ${this._available.moreButton(msg("vouchers on offer"))}`;
  }

  private _mine() {
    const mine = nodesOf({ nodes: this._redeemed.rows });
    return html`${
      mine.length === 0
        ? html`<p class="muted">${msg("None yet.")}</p>`
        : html`<ul class="cards" data-testid="my-vouchers">
            ${mine.map(
              (v) =>
                html`<li>
                  <span><strong>${msg(str`${formatMoney(v.value, this._language.lang)} at ${v.shop?.name ?? msg("a shop")}`)}</strong></span
                  ><span class="muted"
                    >VCH-${v.voucherId} ·
                    ${msg(str`redeemed ${formatDate(v.redeemDate, this._language.lang)} · use by ${formatDate(v.expiryDate, this._language.lang)}`)}</span
                  >
                </li>`,
            )}
          </ul>`
    }
    ${this._redeemed.moreButton(msg("of your vouchers"))}`;
  }

  render() {
    return html`${pageHeading(msg("Vouchers"), this._number)} ${this._confirm.outcome()}
      ${taskView(
        this._points,
        ({ points, voucherId, highest }) =>
          html`<div class="grid">
            <section aria-labelledby="points">
              <h2 id="points">${msg("Points of this number")}</h2>
              <p class="stat" data-testid="points">${points}</p>
            </section>
            <section aria-labelledby="highest">
              <h2 id="highest">${msg("Highest voucher redeemed")}</h2>
              ${
                voucherId == null
                  ? html`<p class="muted">${msg("This number has not redeemed a voucher yet.")}</p>`
                  : html`<p data-testid="highest-voucher">
                      ${highest ? msg(str`${formatMoney(highest.value, this._language.lang)} at ${highest.shop?.name ?? msg("a shop")}`) : ""}
                      (VCH-${voucherId})
                    </p>`
              }
            </section>
          </div>`,
      )}
      <section aria-labelledby="available" class="after-grid">
        <h2 id="available">${msg("Redeem with points")}</h2>
        ${taskView(this._available.task, () => this._offer())}
      </section>
      <section aria-labelledby="mine">
        <h2 id="mine">${msg("Vouchers of this number")}</h2>
        ${taskView(this._redeemed.task, () => this._mine())}
      </section>`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    "vouchers-page": VouchersPage;
  }
}
