/**
 * `<admin-live-usage>`: usage as the network reports it (`adminLiveUsage`), over the last minute:
 * events per minute, refused events, and the numbers using most right now. It counts what arrives
 * while the page is open (NOTIFY is not replayed: after a reconnection the minute restarts).
 */
import { css, html } from "lit";
import { customElement, state } from "lit/decorators.js";
import { graphql, money, type ResultOf } from "../api/graphql.ts";
import { LiveSubscription } from "../api/live.ts";
import { AdminPage } from "./admin-page.ts";

const AdminLiveUsage = graphql(`
  subscription AdminLiveUsage {
    adminLiveUsage {
      mobileNo
      kind
      outcome
      charged
    }
  }
`);

type UsageEvent = ResultOf<typeof AdminLiveUsage>["adminLiveUsage"] & { at: number };

const WINDOW_MS = 60_000;
/** How often the minute moves on when no event arrives. */
const TICK_MS = 5_000;
const TOP = 5;

interface Consumer {
  mobileNo: string;
  events: number;
  charged: number;
}

/** The numbers with most events (then most charged) among these. */
function topConsumers(events: readonly UsageEvent[], count = TOP): Consumer[] {
  const byNumber = new Map<string, Consumer>();
  for (const event of events) {
    const consumer = byNumber.get(event.mobileNo) ?? { mobileNo: event.mobileNo, events: 0, charged: 0 };
    consumer.events += 1;
    consumer.charged += Number(event.charged ?? 0);
    byNumber.set(event.mobileNo, consumer);
  }
  return [...byNumber.values()]
    .sort((a, b) => b.events - a.events || b.charged - a.charged || a.mobileNo.localeCompare(b.mobileNo))
    .slice(0, count);
}

@customElement("admin-live-usage")
export class AdminLiveUsagePanel extends AdminPage {
  static styles = [
    AdminPage.styles,
    css`
      .figures {
        display: flex;
        flex-wrap: wrap;
        gap: 0.5rem 2rem;
        margin: 0 0 0.5rem;
      }
      .figures div {
        margin: 0;
      }
      .figures dd {
        font-size: 1.5rem;
        font-weight: 700;
        margin: 0;
      }
      table {
        border-collapse: collapse;
      }
      th,
      td {
        text-align: start;
        padding: 0.2rem 1rem 0.2rem 0;
      }
    `,
  ];

  /** The events of the last minute, oldest first. */
  @state() private _events: UsageEvent[] = [];
  private _tick: ReturnType<typeof setInterval> | undefined;

  private _live = new LiveSubscription(this, {
    document: AdminLiveUsage,
    session: () => this._session,
    onEvent: ({ adminLiveUsage }) => (this._events = [...this._recent(), { ...adminLiveUsage, at: Date.now() }]),
  });

  connectedCallback() {
    super.connectedCallback();
    this._tick = setInterval(() => {
      if (this._events.length > 0) this._events = this._recent();
    }, TICK_MS);
  }

  disconnectedCallback() {
    super.disconnectedCallback();
    clearInterval(this._tick);
  }

  private _recent(): UsageEvent[] {
    const since = Date.now() - WINDOW_MS;
    return this._events.filter((event) => event.at > since);
  }

  private _state() {
    const state = this._live.state;
    return html`<p class="muted" data-testid="live-state" data-state=${state}>
      ${
        state === "live"
          ? "Receiving events as the network reports them."
          : state === "reconnecting"
            ? "Reconnecting… events in the meantime are not counted."
            : "Connecting…"
      }
    </p>`;
  }

  render() {
    const events = this._events;
    const refused = events.filter((event) => event.outcome === "refused").length;
    const charged = events.reduce((sum, event) => sum + Number(event.charged ?? 0), 0);
    const top = topConsumers(events);
    return html`${this._state()}
      <dl class="figures" data-testid="live-figures">
        <div>
          <dt>Events in the last minute</dt>
          <dd data-testid="events-per-minute">${events.length}</dd>
        </div>
        <div>
          <dt>Refused</dt>
          <dd data-testid="refused-events">${refused}</dd>
        </div>
        <div>
          <dt>Charged</dt>
          <dd>${money(charged)} EGP</dd>
        </div>
      </dl>
      ${
        top.length === 0
          ? html`<p class="muted" data-testid="live-empty">
              No events in the last minute. Usage appears here as the network reports it (try
              <code>npm run usage:simulate</code> against this server).
            </p>`
          : html`<table data-testid="top-consumers">
              <caption class="muted">
                Top consumers now (last minute)
              </caption>
              <thead>
                <tr>
                  <th scope="col">Number</th>
                  <th scope="col">Events</th>
                  <th scope="col">Charged</th>
                </tr>
              </thead>
              <tbody>
                ${top.map(
                  (consumer) =>
                    html`<tr>
                      <td><a href=${`/admin/customers?q=${consumer.mobileNo}`}>${consumer.mobileNo}</a></td>
                      <td>${consumer.events}</td>
                      <td>${money(consumer.charged)} EGP</td>
                    </tr>`,
                )}
              </tbody>
            </table>`
      }`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    "admin-live-usage": AdminLiveUsagePanel;
  }
}
