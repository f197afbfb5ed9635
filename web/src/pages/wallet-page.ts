/**
 * `<wallet-page>`: the wallet linked to the chosen number: its balance, transfers to another number's
 * wallet, the transfers it sent and received (paged), and the cashback credited to it (paged).
 */
import { Task } from "@lit/task";
import { html } from "lit";
import { customElement } from "lit/decorators.js";
import { graphql, money } from "../api/graphql.ts";
import { MoneyAction } from "../api/idempotency.ts";
import { PAGE_SIZE, PagedList } from "../api/paging.ts";
import type { Field, Values } from "../components/op-form.ts";
import "../components/op-form.ts";
import type { Column, Row as DataRow } from "../components/data-table.ts";
import "../components/data-table.ts";
import { amountField, mobileField } from "../fields.ts";
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

const Sent = graphql(`
  query TransfersSent($mobileNo: String!, $first: Int!, $after: Cursor) {
    walletByMobileNo(mobileNo: $mobileNo) {
      transferMoniesByFromWalletId(orderBy: TRANSFER_ID_DESC, first: $first, after: $after) {
        nodes {
          transferId
          transferDate
          fromWalletId
          toWalletId
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

const Received = graphql(`
  query TransfersReceived($mobileNo: String!, $first: Int!, $after: Cursor) {
    walletByMobileNo(mobileNo: $mobileNo) {
      transferMoniesByToWalletId(orderBy: TRANSFER_ID_DESC, first: $first, after: $after) {
        nodes {
          transferId
          transferDate
          fromWalletId
          toWalletId
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

const TRANSFER_COLUMNS: Column[] = [
  { key: "transferId", label: "Transfer" },
  { key: "transferDate", label: "Date" },
  { key: "fromWalletId", label: "From wallet" },
  { key: "toWalletId", label: "To wallet" },
  { key: "amount", kind: "money" as const },
];

const CASHBACK_COLUMNS: Column[] = [
  { key: "cashbackId", label: "Cashback" },
  { key: "creditDate", label: "Date" },
  { key: "paymentId", label: "For payment" },
  { key: "amount", kind: "money" as const },
];

@customElement("wallet-page")
export class WalletPage extends CustomerPage {
  private _wallet = new Task(this, {
    task: async ([mobileNo, session], { signal }) =>
      (await customerSession(session).request(Wallet, { mobileNo: mobileNo! }, signal)).walletByMobileNo,
    args: () => [this._number, this._session] as const,
  });

  private _sent = new PagedList(
    this,
    async ([mobileNo, session], after, signal) =>
      (await customerSession(session).request(Sent, { mobileNo: mobileNo!, first: PAGE_SIZE, after }, signal)).walletByMobileNo
        ?.transferMoniesByFromWalletId,
    () => [this._number, this._session] as const,
  );

  private _received = new PagedList(
    this,
    async ([mobileNo, session], after, signal) =>
      (await customerSession(session).request(Received, { mobileNo: mobileNo!, first: PAGE_SIZE, after }, signal)).walletByMobileNo
        ?.transferMoniesByToWalletId,
    () => [this._number, this._session] as const,
  );

  private _cashback = new PagedList(
    this,
    async ([mobileNo, session], after, signal) =>
      (await customerSession(session).request(Cashback, { mobileNo: mobileNo!, first: PAGE_SIZE, after }, signal)).walletByMobileNo
        ?.cashbacks,
    () => [this._number, this._session] as const,
  );

  private _transferAction = new MoneyAction();

  private _transferFields(): Field[] {
    const own = this._number;
    return [
      {
        ...mobileField("toMobileNo", "To mobile number"),
        check: (v: string) => (v === own ? "Choose another number than this one." : null),
      },
      amountField(),
    ];
  }

  private _transfer = async (values: Values) => {
    const session = customerSession(this._session);
    const variables = { toMobileNo: values.toMobileNo, amount: values.amount };
    // The sender is the chosen number: a retry from another number is another action.
    await this._transferAction.run({ from: session.mobileNo, ...variables }, (idempotencyKey) =>
      session.request(Transfer, { ...variables, idempotencyKey }),
    );
    void this._wallet.run();
    void this._sent.task.run();
    return `${money(values.amount)} EGP sent to ${values.toMobileNo}.`;
  };

  private _list<Row extends object, Args extends readonly unknown[]>(
    title: string,
    id: string,
    list: PagedList<Row | null, Args>,
    columns: Column[],
    empty: string,
  ) {
    return html`<section aria-labelledby=${id}>
      <h2 id=${id}>${title}</h2>
      ${taskView(
        list.task,
        () =>
          html`<data-table
              .rows=${list.rows.filter((row) => row != null) as readonly object[] as readonly DataRow[]}
              .columns=${columns}
              empty-text=${empty}
            ></data-table>
            ${list.moreButton()}`,
      )}
    </section>`;
  }

  render() {
    return html`${pageHeading("Wallet", this._number)}
      ${taskView(
        this._wallet,
        (wallet) =>
          html`<div class="grid">
            <section aria-labelledby="balance">
              <h2 id="balance">Balance</h2>
              ${
                wallet
                  ? html`<p>
                      <span class="stat" data-testid="wallet-balance"
                        >${money(wallet.currentBalance, this._language.lang)} ${wallet.currency}</span
                      ><br /><span class="muted">wallet #${wallet.walletId} · changed ${wallet.lastModifiedDate}</span>
                    </p>`
                  : html`<p class="muted">This number has no wallet.</p>`
              }
            </section>
            <section aria-labelledby="send">
              <h2 id="send">Send money</h2>
              ${
                wallet
                  ? html`<op-form .fields=${this._transferFields()} .submit=${this._transfer} submit-label="Transfer" reset></op-form>`
                  : html`<p class="muted">A wallet is needed to send money.</p>`
              }
            </section>
          </div>`,
      )}
      <div class="after-grid">
        ${this._list("Transfers", "transfers", this._sent, TRANSFER_COLUMNS, "No transfers sent yet.")}
        ${this._list("Transfers received", "received", this._received, TRANSFER_COLUMNS, "No transfers received yet.")}
        ${this._list("Cashback received", "cashback", this._cashback, CASHBACK_COLUMNS, "No cashback yet.")}
      </div>`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    "wallet-page": WalletPage;
  }
}
