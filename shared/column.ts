/** A column and a row of `<data-table>`: plain types, importable outside the browser. */
export interface Column {
  key: string;
  label?: string;
  kind?: "text" | "number" | "money";
}

export type Row = Record<string, unknown>;
