/**
 * `<tickets-page>`: open a support ticket, the number of unresolved ones, and the ticket list.
 */
import { LitElement, html } from "lit";
import { customElement } from "lit/decorators.js";
import { Task } from "@lit/task";
import { graphql, type Nodes } from "../api/graphql.ts";
import { customer } from "../api/session.ts";
import type { Field, Values } from "../components/op-form.ts";
import "../components/op-form.ts";
import "../components/data-table.ts";
import { pageStyles, taskView } from "../ui.ts";

interface TicketsData {
  technicalSupportTickets: Nodes<Record<string, unknown>>;
  ticketAccountCustomer: number | null;
}

const FIELDS: Field[] = [
  {
    name: "issueDescription",
    label: "What is the problem?",
    type: "textarea",
    required: true,
    check: (v) => (v.length >= 5 ? null : "Describe the problem in at least 5 characters."),
  },
  {
    name: "priorityLevel",
    label: "Priority",
    type: "select",
    required: true,
    value: "3",
    options: [1, 2, 3, 4, 5].map((n) => ({ value: String(n), label: `${n}${n === 1 ? " (lowest)" : n === 5 ? " (highest)" : ""}` })),
  },
];

@customElement("tickets-page")
export class TicketsPage extends LitElement {
  static styles = pageStyles;

  private _data = new Task(this, {
    task: async (_args, { signal }) =>
      graphql<TicketsData>(
        `
          query Tickets($nationalId: Int!) {
            technicalSupportTickets(orderBy: TICKET_ID_DESC) {
              nodes {
                ticketId
                mobileNo
                issueDescription
                priorityLevel
                status
              }
            }
            ticketAccountCustomer(nationalId: $nationalId)
          }
        `,
        { nationalId: customer().nationalId },
        signal,
      ),
    args: () => [],
  });

  private _open = async (values: Values) => {
    await graphql(
      `
        mutation Open($issueDescription: String!, $priorityLevel: Int!) {
          openTicket(input: { issueDescription: $issueDescription, priorityLevel: $priorityLevel }) {
            clientMutationId
          }
        }
      `,
      {
        issueDescription: values.issueDescription,
        priorityLevel: Number(values.priorityLevel),
      },
    );
    this._data.run();
    return "Your ticket is open; we will contact you.";
  };

  render() {
    return html`<h1>Support</h1>
      ${taskView(
        this._data,
        (data) =>
          html`<div class="grid">
              <section aria-labelledby="new">
                <h2 id="new">Open a ticket</h2>
                <op-form .fields=${FIELDS} .submit=${this._open} submit-label="Open ticket" reset></op-form>
              </section>
              <section aria-labelledby="count">
                <h2 id="count">Unresolved tickets</h2>
                <p class="stat" data-testid="unresolved">${data.ticketAccountCustomer ?? 0}</p>
              </section>
            </div>
            <section aria-labelledby="list" style="margin-top: 1rem">
              <h2 id="list">Your tickets</h2>
              <data-table .rows=${data.technicalSupportTickets.nodes} empty-text="You have no tickets."></data-table>
            </section>`,
      )}`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    "tickets-page": TicketsPage;
  }
}
