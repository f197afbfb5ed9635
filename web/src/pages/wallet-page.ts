/**
 * `<wallet-page>`: the wallet's balance, transfers to another number's wallet, transfer history and
 * the cashback credited to it.
 */
import { LitElement, html } from "lit";
import { customElement } from "lit/decorators.js";
import { Task } from "@lit/task";
import { graphql, money, type Nodes } from "../api/graphql.ts";
import { customer } from "../api/session.ts";
import type { Wallet } from "../api/types.ts";
import type { Values } from "../components/op-form.ts";
import "../components/op-form.ts";
import "../components/data-table.ts";
import { amountField, mobileField } from "../fields.ts";
import { pageStyles, taskView } from "../ui.ts";

interface WalletData {
  wallets: Nodes<Wallet>;
  transferMonies: Nodes<Record<string, unknown>>;
  cashbackWalletCustomer: Nodes<Record<string, unknown>>;
}

const QUERY = `query Wallet($nationalId: Int!) {
  wallets { nodes { walletId mobileNo currentBalance currency lastModifiedDate } }
  transferMonies(orderBy: TRANSFER_ID_DESC) { nodes { transferId fromWalletId toWalletId amount transferDate } }
  cashbackWalletCustomer(nationalId: $nationalId) { nodes { cashbackId walletId paymentId amount creditDate } }
}`;

const TRANSFER_FIELDS = [
  {
    ...mobileField("toMobileNo", "To mobile number"),
    check: (v: string) => (v === customer().mobileNo ? "Choose another number than your own." : null),
  },
  amountField(),
];

@customElement("wallet-page")
export class WalletPage extends LitElement {
  static styles = pageStyles;

  private _data = new Task(this, {
    task: async (_args, { signal }) => graphql<WalletData>(QUERY, { nationalId: customer().nationalId }, signal),
    args: () => [],
  });

  private _transfer = async (values: Values) => {
    await graphql(
      `
        mutation Transfer($toMobileNo: String!, $amount: BigFloat!) {
          transferToMobile(input: { toMobileNo: $toMobileNo, amount: $amount }) {
            clientMutationId
          }
        }
      `,
      values,
    );
    this._data.run();
    return `${money(values.amount)} EGP sent to ${values.toMobileNo}.`;
  };

  private _content(data: WalletData) {
    const wallets = data.wallets.nodes;
    return html`<div class="grid">
        <section aria-labelledby="balance">
          <h2 id="balance">Balance</h2>
          ${
            wallets.length === 0
              ? html`<p class="muted">You have no wallet.</p>`
              : wallets.map(
                  (w) =>
                    html`<p>
                      <span class="stat" data-testid="wallet-balance">${money(w.currentBalance)} ${w.currency}</span><br /><span
                        class="muted"
                        >wallet #${w.walletId} · ${w.mobileNo} · changed ${w.lastModifiedDate}</span
                      >
                    </p>`,
                )
          }
        </section>
        <section aria-labelledby="send">
          <h2 id="send">Send money</h2>
          ${wallets.length ? html`<op-form .fields=${TRANSFER_FIELDS} .submit=${this._transfer} submit-label="Transfer" reset></op-form>` : html`<p class="muted">A wallet is needed to send money.</p>`}
        </section>
      </div>
      <section aria-labelledby="transfers" style="margin-top: 1rem">
        <h2 id="transfers">Transfers</h2>
        <data-table
          .rows=${data.transferMonies.nodes}
          .columns=${[
            { key: "transferId", label: "Transfer" },
            { key: "transferDate", label: "Date" },
            { key: "fromWalletId", label: "From wallet" },
            { key: "toWalletId", label: "To wallet" },
            { key: "amount", kind: "money" },
          ]}
          empty-text="No transfers yet."
        ></data-table>
      </section>
      <section aria-labelledby="cashback">
        <h2 id="cashback">Cashback received</h2>
        <data-table
          .rows=${data.cashbackWalletCustomer.nodes}
          .columns=${[
            { key: "cashbackId", label: "Cashback" },
            { key: "creditDate", label: "Date" },
            { key: "paymentId", label: "For payment" },
            { key: "amount", kind: "money" },
          ]}
          empty-text="No cashback yet."
        ></data-table>
      </section>`;
  }

  render() {
    return html`<h1>Wallet</h1>
      ${taskView(this._data, (data) => this._content(data))}`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    "wallet-page": WalletPage;
  }
}
