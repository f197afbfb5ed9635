/** One series of `<bar-chart>`: a plain type, importable outside the browser. */
export interface ChartSeries {
  label: string;
  values: (number | null)[];
  kind?: "bars" | "line";
  color: string;
}
