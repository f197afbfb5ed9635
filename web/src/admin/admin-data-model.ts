/**
 * `<admin-data-model>`: the ER diagram of docs/dba.md (docs/schema.svg, drawn at build time from the
 * catalog), as a plain image: no script draws it here. It is wide: it opens fitted to the frame's
 * width as an overview, and zooms in steps, scrolling inside its frame (the page itself never scrolls
 * sideways, even on a phone). Loaded only when its page is visited.
 */
import { LitElement, css, html, nothing } from "lit";
import { customElement, state } from "lit/decorators.js";
import diagramUrl from "../../../docs/schema.svg?url";
import { pageStyles } from "../ui.ts";

/** Zoom steps, as a share of the image's own size (at 1 its text is as large as the page's). */
const ZOOMS = [0.25, 0.5, 0.75, 1, 1.5, 2];

@customElement("admin-data-model")
export class AdminDataModel extends LitElement {
  static styles = [
    pageStyles,
    css`
      .toolbar {
        display: flex;
        flex-wrap: wrap;
        align-items: center;
        gap: 0.5rem 0.75rem;
        margin-bottom: 0.75rem;
      }
      .toolbar button[aria-pressed="true"] {
        background: var(--tc-primary, #1d4ed8);
        color: var(--tc-primary-text, #fff);
      }
      .toolbar output {
        min-width: 3.5rem;
        text-align: center;
      }
      .frame {
        overflow: auto;
        max-height: 75vh;
        background: var(--tc-surface, #fff);
        border: 1px solid var(--tc-border, #d1d5db);
        border-radius: 8px;
        /* A finger pans the frame; two fingers still zoom the page. */
        touch-action: pan-x pan-y pinch-zoom;
      }
      .frame:focus-visible {
        outline: 3px solid #f59e0b;
        outline-offset: 2px;
      }
      img {
        display: block;
        max-width: none;
        height: auto;
      }
      img.fit {
        width: 100%;
      }
    `,
  ];

  /** Index into ZOOMS, or "fit": the whole width at once, the overview a visit starts with. */
  @state() private _zoom: number | "fit" = "fit";
  /** The image's own width in CSS pixels, known once it has loaded. */
  @state() private _naturalWidth = 0;

  private get _frame(): HTMLElement | null {
    return this.renderRoot.querySelector(".frame");
  }

  private _onLoad(event: Event) {
    this._naturalWidth = (event.target as HTMLImageElement).naturalWidth;
  }

  /** One step in or out; from "fit", to the nearest step beyond the scale the overview shows. */
  private _step(direction: 1 | -1) {
    let index: number;
    if (this._zoom === "fit") {
      const scale = this._frame && this._naturalWidth ? this._frame.clientWidth / this._naturalWidth : 1;
      index = direction > 0 ? ZOOMS.filter((zoom) => zoom <= scale).length : ZOOMS.filter((zoom) => zoom < scale).length - 1;
    } else {
      index = this._zoom + direction;
    }
    this._setZoom(Math.min(ZOOMS.length - 1, Math.max(0, index)));
  }

  /** Changes the zoom and keeps the point at the frame's centre where it was, so one can zoom into a table. */
  private async _setZoom(zoom: number | "fit") {
    const frame = this._frame;
    const centre = frame && {
      x: (frame.scrollLeft + frame.clientWidth / 2) / frame.scrollWidth,
      y: (frame.scrollTop + frame.clientHeight / 2) / frame.scrollHeight,
    };
    this._zoom = zoom;
    await this.updateComplete;
    if (frame && centre) {
      frame.scrollLeft = centre.x * frame.scrollWidth - frame.clientWidth / 2;
      frame.scrollTop = centre.y * frame.scrollHeight - frame.clientHeight / 2;
    }
  }

  render() {
    const fit = this._zoom === "fit";
    const zoom = fit ? undefined : ZOOMS[this._zoom as number];
    const width = zoom && this._naturalWidth ? Math.round(this._naturalWidth * zoom) : undefined;
    return html`<p><a href="/admin">← Administration</a></p>
      <h1>Data model</h1>
      <p class="muted">
        Every table of the schemas <code>telecom</code> and <code>telecom_private</code>, with its columns and keys (PK primary, FK foreign,
        UK unique), and every foreign key as a relation named by its columns, generated from the database catalog. The same diagram as text
        is <code>docs/schema.md</code>.
      </p>
      <div class="toolbar" role="group" aria-label="Zoom">
        <button type="button" class="secondary" aria-label="Zoom out" ?disabled=${this._zoom === 0} @click=${() => this._step(-1)}>
          −
        </button>
        <output aria-live="polite">${fit ? "Fit" : `${Math.round(zoom! * 100)}%`}</output>
        <button
          type="button"
          class="secondary"
          aria-label="Zoom in"
          ?disabled=${this._zoom === ZOOMS.length - 1}
          @click=${() => this._step(1)}
        >
          +
        </button>
        <button type="button" class="secondary" aria-pressed=${String(fit)} @click=${() => this._setZoom(fit ? ZOOMS.indexOf(1) : "fit")}>
          Fit to width
        </button>
        <a href=${diagramUrl} target="_blank" rel="noopener">Open the image on its own</a>
      </div>
      <div class="frame" tabindex="0" role="region" aria-label="Diagram (scrolls)">
        <img
          class=${fit ? "fit" : ""}
          src=${diagramUrl}
          width=${width ?? nothing}
          alt="Entity-relationship diagram of the Telecom database: every table of telecom and telecom_private with its columns, primary, foreign and unique keys, and the foreign keys between the tables with their cardinality; shop is specialised into physical_shop and e_shop (is a, disjoint)."
          @load=${this._onLoad}
        />
      </div>`;
  }
}

declare global {
  interface HTMLElementTagNameMap {
    "admin-data-model": AdminDataModel;
  }
}
