/** What is left to pay of a bill (docs/bills.md), in exact piastres: the dashboard, the bills list and the bill share it. */

/** Piastres of an amount: bills add and subtract exactly. */
const piastres = (amount: string | null | undefined): number => Math.round(Number(amount ?? 0) * 100);

/** What is still to be paid of a bill: nothing once it is paid or carried into the next one. */
export function stillDue(bill: { amountDue: string; paidAmount: string; status: string }): string {
  return bill.status === "issued" ? (Math.max(piastres(bill.amountDue) - piastres(bill.paidAmount), 0) / 100).toFixed(2) : "0.00";
}
