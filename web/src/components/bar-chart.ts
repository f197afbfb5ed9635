/**
 * `<bar-chart>`: a uPlot chart of labelled categories (bars and/or lines). uPlot and its stylesheet
 * are loaded on first use, so pages without charts never download them.
 */
import { LitElement, css, html } from "lit";
import { customElement, property, query } from "lit/decorators.js";
import type uPlot from "uplot";
import type { ChartSeries } from "../../../shared/chart-series.ts";

export type { ChartSeries };

let library: Promise<[typeof uPlot, string]> | undefined;
const loadLibrary = () =>
  (library ??= Promise.all([
    import("uplot").then((m) => m.default),
    import("uplot/dist/uPlot.min.css?inline").then((m) => m.default as string),
  ]));

@customElement("bar-chart")
export class BarChart extends LitElement {
  static styles = css`
    :host {
      display: block;
      min-height: 2rem;
    }
    .plot {
      width: 100%;
    }
  `;

  /** One label per category on the x axis. */
  @property({ attribute: false }) labels: string[] = [];
  @property({ attribute: false }) series: ChartSeries[] = [];
  @property({ attribute: "y-label" }) yLabel = "";
  /** What the chart shows, for screen readers. */
  @property() summary = "";
  @property({ type: Number }) height = 220;

  @query(".plot") private _container!: HTMLDivElement;
  private _plot?: uPlot;
  private _resize = new ResizeObserver(() => this._plot?.setSize({ width: this._width(), height: this.height }));

  private _width() {
    return Math.max(this._container?.clientWidth ?? 300, 200);
  }

  disconnectedCallback() {
    super.disconnectedCallback();
    this._resize.disconnect();
    this._plot?.destroy();
    this._plot = undefined;
  }

  render() {
    return html`<div class="plot" role="img" aria-label=${this.summary}></div>`;
  }

  protected async updated() {
    const [UPlot, stylesheet] = await loadLibrary();
    if (!this.isConnected) return;
    if (!this.renderRoot.querySelector("style[data-uplot]")) {
      const style = document.createElement("style");
      style.dataset.uplot = "";
      style.textContent = stylesheet;
      this.renderRoot.prepend(style);
    }
    this._plot?.destroy();
    const labels = this.labels;
    const bars = UPlot.paths.bars!({ size: [0.6, 64] });
    const options: uPlot.Options = {
      width: this._width(),
      height: this.height,
      scales: {
        x: { time: false, range: [-0.5, labels.length - 0.5] },
        // Bars grow from zero, whatever the data's minimum.
        y: { range: (_u, _min, max) => [0, max > 0 ? max * 1.1 : 1] },
      },
      legend: { live: false },
      axes: [
        {
          values: (_u, ticks) => ticks.map((tick) => labels[tick] ?? ""),
          // Every label when they fit (about 72 px each), otherwise every n-th.
          splits: (u) => {
            const step = Math.max(1, Math.ceil((labels.length * 72) / u.width));
            return labels.map((_, i) => i).filter((i) => i % step === 0);
          },
          grid: { show: false },
        },
        // Latin digits in every language, like the rest of the app (docs/web-app.md: Arabic and its digits).
        { label: this.yLabel, size: 60, values: (_u, ticks) => ticks.map((tick) => tick.toLocaleString("en")) },
      ],
      series: [
        {},
        ...this.series.map((s) => ({
          label: s.label,
          stroke: s.color,
          fill: s.kind === "line" ? undefined : `${s.color}cc`,
          width: s.kind === "line" ? 2 : 1,
          paths: s.kind === "line" ? undefined : bars,
          points: { show: s.kind === "line" },
        })),
      ],
    };
    const data: uPlot.AlignedData = [labels.map((_, i) => i), ...this.series.map((s) => s.values)];
    this._plot = new UPlot(options, data, this._container);
    this._resize.observe(this._container);
  }
}

declare global {
  interface HTMLElementTagNameMap {
    "bar-chart": BarChart;
  }
}
