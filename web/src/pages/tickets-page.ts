/**
 * `<tickets-page>`: open a support ticket for the chosen number, the person's unresolved tickets, and
 * the number's tickets (paged).
 */
import { Task } from "@lit/task";
import { html } from "lit";
import { customElement } from "lit/decorators.js";
import { graphql } from "../api/graphql.ts";
import { PAGE_SIZE, PagedList } from "../api/paging.ts";
import type { Field, Values } from "../components/op-form.ts";
import "../components/op-form.ts";
import "../components/data-table.ts";
import { pageHeading, taskView } from "../ui.ts";
import { CustomerPage, customerSession } from "./customer-page.ts";

const Unresolved = graphql(`
  query UnresolvedTickets($nationalId: Int!) {
    ticketAccountCustomer(nationalId: $nationalId)
  }
`);

const Tickets = graphql(`
  query Tickets($mobileNo: String!, $first: Int!, $after: Cursor) {
    technicalSupportTickets(condition: { mobileNo: $mobileNo }, orderBy: TICKET_ID_DESC, first: $first, after: $after) {
      nodes {
        ticketId
        mobileNo
        issueDescription
        priorityLevel
        status
      }
      pageInfo {
        hasNextPage
        endCursor
      }
    }
  }
`);

const OpenTicket = graphql(`
  mutation OpenTicket($issueDescription: String!, $priorityLevel: Int!) {
    openTicket(input: { issueDescription: $issueDescription, priorityLevel: $priorityLevel }) {
      technicalSupportTicket {
        ticketId
      }
    }
  }
`);

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

const COLUMNS = [
  { key: "ticketId", label: "Ticket", kind: "number" as const },
  { key: "issueDescription", label: "Problem" },
  { key: "priorityLevel", label: "Priority", kind: "number" as const },
  { key: "status" },
];

@customElement("tickets-page")
export class TicketsPage extends CustomerPage {
  private _unresolved = new Task(this, {
    task: async ([session], { signal }) => {
      const customer = customerSession(session);
      return (await customer.request(Unresolved, { nationalId: customer.nationalId }, signal)).ticketAccountCustomer ?? 0;
    },
    args: () => [this._session] as const,
  });

  private _tickets = new PagedList(
    this,
    async ([mobileNo, session], after, signal) =>
      (await customerSession(session).request(Tickets, { mobileNo: mobileNo!, first: PAGE_SIZE, after }, signal)).technicalSupportTickets,
    () => [this._number, this._session] as const,
  );

  private _open = async (values: Values) => {
    const session = customerSession(this._session);
    const data = await session.request(OpenTicket, {
      issueDescription: values.issueDescription,
      priorityLevel: Number(values.priorityLevel),
    });
    void this._unresolved.run();
    void this._tickets.task.run();
    return `Ticket #${data.openTicket?.technicalSupportTicket?.ticketId} is open for ${session.mobileNo}; we will contact you.`;
  };

  render() {
    return html`${pageHeading("Support", this._number)}
      <div class="grid">
        <section aria-labelledby="new">
          <h2 id="new">Open a ticket</h2>
          <op-form .fields=${FIELDS} .submit=${this._open} submit-label="Open ticket" reset></op-form>
        </section>
        <section aria-labelledby="count">
          <h2 id="count">Unresolved tickets</h2>
          ${taskView(this._unresolved, (count) => html`<p class="stat" data-testid="unresolved">${count}</p>`)}
          <p class="muted">on all your numbers</p>
        </section>
      </div>
      <section aria-labelledby="list" class="after-grid">
        <h2 id="list">Tickets of this number</h2>
        ${taskView(
          this._tickets.task,
          () =>
            html`<data-table .rows=${this._tickets.rows} .columns=${COLUMNS} empty-text="This number has no tickets."></data-table>
              ${this._tickets.moreButton()}`,
        )}
      </section>`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    "tickets-page": TicketsPage;
  }
}
