/**
 * `<wallet-page>`: the wallet linked to the chosen number: its balance, transfers to another number's
 * wallet, the transfers it sent and received (paged), and the cashback credited to it (paged).
 */
import { msg, str } from "@lit/localize";
import { Task } from "@lit/task";
import { html } from "lit";
import { customElement } from "lit/decorators.js";
import { ApiError, graphql, nodesOf } from "../api/graphql.ts";
import { MoneyAction } from "../api/idempotency.ts";
import { PAGE_SIZE, PagedList } from "../api/paging.ts";
import type { Confirmation, Field, Values } from "../components/op-form.ts";
import "../components/op-form.ts";
import { amountField, mobileField } from "../fields.ts";
import { recordedReceipt, transferReceipt } from "../receipts.ts";
import type { Session } from "../session/session-store.ts";
import { formatDate, formatMoney } from "../words.ts";
import { pageHeading, taskView } from "../ui.ts";
import { CustomerPage, customerSession } from "./customer-page.ts";

const Wallet = graphql(`
  query Wallet($mobileNo: String!) {
    walletByMobileNo(mobileNo: $mobileNo) {
      walletId
      currentBalance
      currency
      lastModifiedDate
    }
  }
`);

/** Sent and received, newest first, with the other number and its masked name (customer_transfers). */
const Transfers = graphql(`
  query CustomerTransfers($mobileNo: String!, $first: Int!, $after: Cursor) {
    customerTransfers(mobileNo: $mobileNo, first: $first, after: $after) {
      nodes {
        reference
        transferId
        transferDate
        direction
        otherMobileNo
        otherName
        amount
        currency
      }
      pageInfo {
        hasNextPage
        endCursor
      }
    }
  }
`);

const Cashback = graphql(`
  query WalletCashback($mobileNo: String!, $first: Int!, $after: Cursor) {
    walletByMobileNo(mobileNo: $mobileNo) {
      cashbacks(orderBy: CASHBACK_ID_DESC, first: $first, after: $after) {
        nodes {
          cashbackId
          creditDate
          paymentId
          amount
        }
        pageInfo {
          hasNextPage
          endCursor
        }
      }
    }
  }
`);

const Transfer = graphql(`
  mutation Transfer($toMobileNo: String!, $amount: BigFloat!, $idempotencyKey: UUID!) {
    transferToMobile(input: { toMobileNo: $toMobileNo, amount: $amount, idempotencyKey: $idempotencyKey }) {
      transferMoney {
        transferId
        amount
      }
    }
  }
`);

const Recipient = graphql(`
  mutation TransferRecipient($toMobileNo: String!) {
    transferRecipient(input: { toMobileNo: $toMobileNo }) {
      walletRecipient {
        displayName
        currency
      }
    }
  }
`);

/** Who a transfer would reach, as `transfer_recipient` (docs/api.md) tells: a name like "Mona S." and the wallet's currency. */
export interface Recipient {
  displayName: string;
  currency: string;
}

/**
 * The recipient for the transfer confirmation: `transfer_recipient(to_mobile_no)`, the one throttled
 * look-up of another person (docs/api.md, docs/security.md). `null` when the number cannot receive a transfer;
 * `undefined` when the look-up could not answer now (throttled, TC220, or offline): the confirmation
 * then shows the number alone, and the transfer itself still decides.
 */
async function lookUpRecipient(session: Session, toMobileNo: string): Promise<Recipient | null | undefined> {
  try {
    const data = await session.request(Recipient, { toMobileNo });
    const found = data.transferRecipient?.walletRecipient;
    return found?.displayName && found.currency ? { displayName: found.displayName, currency: found.currency } : null;
  } catch (error) {
    if (error instanceof ApiError && error.code !== "TC220" && error.code !== "TC508") throw error;
    return undefined;
  }
}

@customElement("wallet-page")
export class WalletPage extends CustomerPage {
  private _wallet = new Task(this, {
    task: async ([mobileNo, session], { signal }) =>
      (await customerSession(session).request(Wallet, { mobileNo: mobileNo! }, signal)).walletByMobileNo,
    args: () => [this._number, this._session] as const,
  });

  private _transfers = new PagedList(
    this,
    async ([mobileNo, session], after, signal) =>
      (await customerSession(session).request(Transfers, { mobileNo: mobileNo!, first: PAGE_SIZE, after }, signal)).customerTransfers,
    () => [this._number, this._session] as const,
  );

  /** The recipient's name for the confirmation being shown (null: not known). */
  private _recipient: string | null = null;

  private _cashback = new PagedList(
    this,
    async ([mobileNo, session], after, signal) =>
      (await customerSession(session).request(Cashback, { mobileNo: mobileNo!, first: PAGE_SIZE, after }, signal)).walletByMobileNo
        ?.cashbacks,
    () => [this._number, this._session] as const,
  );

  private _transferAction = new MoneyAction();

  private _transferFields(balance: string): Field[] {
    const own = this._number;
    return [
      {
        ...mobileField("toMobileNo", msg("Send to (mobile number)")),
        check: (v: string) => (v === own ? msg("Choose another number than this one.") : null),
      },
      {
        ...amountField(),
        check: (v) => (Number(v) > Number(balance) ? msg(str`Your wallet holds ${formatMoney(balance, this._language.lang)}.`) : null),
      },
    ];
  }

  private _transferConfirm = async (values: Values): Promise<Confirmation> => {
    const session = customerSession(this._session);
    const recipient = await lookUpRecipient(session, values.toMobileNo);
    // Refused before anything is sent, next to the number, in the words of the transfer's own refusals
    // (the form shows the sentence of words.ts for the code).
    if (recipient === null) throw new ApiError("You cannot transfer to that number.", "TC313");
    const ownCurrency = this._wallet.value?.currency ?? "EGP";
    // A wallet in another currency is one of the reasons the transfer itself answers TC313 for.
    if (recipient && recipient.currency !== ownCurrency) throw new ApiError("You cannot transfer to that number.", "TC313");
    this._recipient = recipient?.displayName ?? null;
    const lang = this._language.lang;
    return {
      title: msg("Check and confirm the transfer"),
      lines: [
        [msg("From"), msg(str`Wallet of ${session.mobileNo}`)],
        [msg("To"), recipient ? msg(str`${recipient.displayName}, wallet of ${values.toMobileNo}`) : values.toMobileNo],
        [msg("Amount"), formatMoney(values.amount, lang)],
      ],
      note: recipient
        ? msg("Money sent to a wallet cannot be taken back: check the name and the number.")
        : msg("The name cannot be checked right now. Money sent to a wallet cannot be taken back: check the number."),
      action: msg(str`Send ${formatMoney(values.amount, lang)}`),
    };
  };

  private _transfer = async (values: Values) => {
    const session = customerSession(this._session);
    const variables = { toMobileNo: values.toMobileNo, amount: values.amount };
    // The sender is the chosen number: a retry from another number is another action.
    const data = await this._transferAction.run({ from: session.mobileNo, ...variables }, (idempotencyKey) =>
      session.request(Transfer, { ...variables, idempotencyKey }),
    );
    void this._wallet.run();
    void this._transfers.task.run();
    const lang = this._language.lang;
    return recordedReceipt(
      session,
      transferReceipt(data.transferToMobile?.transferMoney?.transferId, values.amount, values.toMobileNo, this._recipient, lang),
      lang,
    );
  };

  private _history() {
    const lang = this._language.lang;
    const rows = nodesOf({ nodes: this._transfers.rows });
    return html`${
      rows.length === 0
        ? html`<p class="muted">${msg("No transfers yet.")}</p>`
        : html`<ul class="cards" data-testid="transfers">
            ${rows.map(
              (t) =>
                html`<li>
                  <span
                    ><strong>${t.direction === "sent" ? msg("Sent to") : msg("Received from")} ${t.otherName ?? ""}</strong>
                    ${t.otherMobileNo}<br /><span class="muted">${formatDate(t.transferDate, lang)} · ${t.reference}</span></span
                  >
                  <span class="amount">${t.direction === "sent" ? "−" : "+"}${formatMoney(t.amount, lang, t.currency ?? "EGP")}</span>
                </li>`,
            )}
          </ul>`
    }
    ${this._transfers.moreButton(msg("transfers"))}`;
  }

  private _cashbackList() {
    const lang = this._language.lang;
    const rows = nodesOf({ nodes: this._cashback.rows });
    return html`${
      rows.length === 0
        ? html`<p class="muted">${msg("No cashback yet.")}</p>`
        : html`<ul class="cards" data-testid="cashback">
            ${rows.map(
              (c) =>
                html`<li>
                  <span
                    >${msg(str`Cashback for payment PAY-${c.paymentId}`)}<br /><span class="muted"
                      >${formatDate(c.creditDate, lang)} · CSH-${c.cashbackId}</span
                    ></span
                  >
                  <span class="amount">+${formatMoney(c.amount, lang)}</span>
                </li>`,
            )}
          </ul>`
    }
    ${this._cashback.moreButton(msg("cashback"))}`;
  }

  render() {
    const lang = this._language.lang;
    return html`${pageHeading(msg("Wallet"), this._number)}
      ${taskView(
        this._wallet,
        (wallet) =>
          html`<div class="grid">
            <section aria-labelledby="balance">
              <h2 id="balance">${msg("Balance")}</h2>
              ${
                wallet
                  ? html`<p>
                      <span class="stat" data-testid="wallet-balance">${formatMoney(wallet.currentBalance, lang, wallet.currency)}</span
                      ><br /><span class="muted">${msg(str`last changed ${formatDate(wallet.lastModifiedDate, lang)}`)}</span>
                    </p>`
                  : html`<p class="muted">${msg("This number has no wallet.")}</p>`
              }
            </section>
            <section aria-labelledby="send">
              <h2 id="send">${msg("Send money")}</h2>
              ${
                wallet
                  ? html`<op-form
                      .fields=${this._transferFields(wallet.currentBalance)}
                      .confirm=${this._transferConfirm}
                      .submit=${this._transfer}
                      submit-label=${msg("Continue")}
                      reset
                    ></op-form>`
                  : html`<p class="muted">${msg("A wallet is needed to send money.")}</p>`
              }
            </section>
          </div>`,
      )}
      <div class="after-grid">
        <section aria-labelledby="transfers">
          <h2 id="transfers">${msg("Transfers")}</h2>
          ${taskView(this._transfers.task, () => this._history())}
        </section>
        <section aria-labelledby="cashback">
          <h2 id="cashback">${msg("Cashback received")}</h2>
          ${taskView(this._cashback.task, () => this._cashbackList())}
        </section>
      </div>`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    "wallet-page": WalletPage;
  }
}
