/**
 * `<tickets-page>`: open a support ticket for the chosen number, the person's unresolved tickets, and
 * the number's tickets (paged).
 */
import { msg, str } from "@lit/localize";
import { Task } from "@lit/task";
import { html } from "lit";
import { customElement } from "lit/decorators.js";
import { TicketLine } from "../../../shared/fragments.ts";
import { graphql } from "../api/graphql.ts";
import { PAGE_SIZE, PagedList } from "../api/paging.ts";
import type { Field, Values } from "../components/op-form.ts";
import "../components/op-form.ts";
import { pageHeading, taskView } from "../ui.ts";
import { words } from "../words.ts";
import { CustomerPage, customerSession } from "./customer-page.ts";

const Unresolved = graphql(`
  query UnresolvedTickets($nationalId: Int!) {
    ticketAccountCustomer(nationalId: $nationalId)
  }
`);

const Tickets = graphql(
  `
    query Tickets($mobileNo: String!, $first: Int!, $after: Cursor) {
      technicalSupportTickets(condition: { mobileNo: $mobileNo }, orderBy: TICKET_ID_DESC, first: $first, after: $after) {
        nodes {
          ...TicketLine
        }
        pageInfo {
          hasNextPage
          endCursor
        }
      }
    }
  `,
  [TicketLine],
);

const OpenTicket = graphql(`
  mutation OpenTicket($issueDescription: String!, $priorityLevel: Int!) {
    openTicket(input: { issueDescription: $issueDescription, priorityLevel: $priorityLevel }) {
      technicalSupportTicket {
        ticketId
      }
    }
  }
`);

const priorities = () => [msg("1 – can wait"), msg("2 – low"), msg("3 – normal"), msg("4 – high"), msg("5 – urgent: no service at all")];

const fields = (): Field[] => [
  {
    name: "issueDescription",
    label: msg("What is the problem?"),
    type: "textarea",
    required: true,
    missing: msg("Describe the problem."),
    codes: ["TC140"],
    check: (v) =>
      v.length < 5
        ? msg("Describe the problem in at least 5 characters.")
        : v.length > 2000
          ? msg("Keep it within 2000 characters.")
          : null,
  },
  {
    name: "priorityLevel",
    label: msg("Priority"),
    type: "select",
    required: true,
    value: "3",
    codes: ["TC141"],
    options: priorities().map((label, i) => ({ value: String(i + 1), label })),
  },
];

type TicketRow = { ticketId: number; issueDescription: string; priorityLevel: number; status: string };

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
    return msg(str`Ticket ${data.openTicket?.technicalSupportTicket?.ticketId} is open for ${session.mobileNo}; we will contact you.`);
  };

  private _list(rows: readonly (TicketRow | null)[]) {
    const tickets = rows.filter((t): t is TicketRow => t != null);
    if (tickets.length === 0) return html`<p class="muted">${msg("This number has no tickets.")}</p>`;
    return html`<ul class="cards" data-testid="tickets">
      ${tickets.map(
        (t) =>
          html`<li>
            <span
              >${t.issueDescription}<br /><span class="muted"
                >${msg(str`Ticket ${t.ticketId} · priority ${priorities()[t.priorityLevel - 1] ?? t.priorityLevel}`)}</span
              ></span
            >
            <strong>${words(t.status)}</strong>
          </li>`,
      )}
    </ul>`;
  }

  render() {
    return html`${pageHeading(msg("Support"), this._number)}
      <div class="grid">
        <section aria-labelledby="new">
          <h2 id="new">${msg("Open a ticket")}</h2>
          <op-form .fields=${fields()} .submit=${this._open} submit-label=${msg("Open ticket")} reset></op-form>
        </section>
        <section aria-labelledby="count">
          <h2 id="count">${msg("Unresolved tickets")}</h2>
          ${taskView(this._unresolved, (count) => html`<p class="stat" data-testid="unresolved">${count}</p>`)}
          <p class="muted">${msg("on all your numbers")}</p>
        </section>
      </div>
      <section aria-labelledby="list" class="after-grid">
        <h2 id="list">${msg("Tickets of this number")}</h2>
        ${taskView(this._tickets.task, () => html`${this._list(this._tickets.rows)} ${this._tickets.moreButton()}`)}
      </section>`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    "tickets-page": TicketsPage;
  }
}
