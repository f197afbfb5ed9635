/**
 * The customer's words: statuses, units, money and numbers as a person reads them, what a person
 * types turned into what the database takes, and the database's refusals (SQLSTATE) as sentences
 * next to the field they are about. One message style: a short sentence that says what to do.
 */
import { msg, str } from "@lit/localize";
import type { RefusalCode } from "../../shared/field.ts";

/** Human words for every enum value the customer sees (a function: the language can change). */
const statusWords = (): Record<string, string> => ({
  // account_status, subscription_status, benefit_status
  active: msg("Active"),
  onhold: msg("On hold"),
  expired: msg("Expired"),
  // account_type
  prepaid: msg("Prepaid"),
  post_paid: msg("Postpaid (monthly bill)"),
  pay_as_you_go: msg("Pay as you go"),
  // payment_status
  successful: msg("Paid"),
  pending: msg("Waiting for the card payment"),
  rejected: msg("Declined"),
  // invoice_status
  issued: msg("To pay"),
  paid: msg("Paid"),
  carried: msg("Moved to the next bill"),
  // ticket status
  open: msg("Open"),
  in_progress: msg("Being worked on"),
  resolved: msg("Resolved"),
  // payment_method
  cash: msg("Cash"),
  credit: msg("Card"),
  wallet: msg("Wallet"),
  // transfer direction
  sent: msg("Sent"),
  received: msg("Received"),
});

export const words = (value: string | null | undefined): string =>
  value == null ? "" : (statusWords()[value] ?? value.replace(/_/g, " "));

/**
 * The locale numbers and dates are formatted in. Arabic keeps Latin digits (`ar-EG-u-nu-latn`):
 * mobile numbers, amounts and references then read the same as on the customer's SIM card, bank SMS
 * and receipts, and as they type them; Arabic-Indic digits typed are accepted all the same.
 */
export const intlLocale = (lang: string): string => (lang === "ar" ? "ar-EG-u-nu-latn" : lang);

/** Digits typed with Arabic-Indic (٠١٢…) or Eastern Arabic-Indic (۰۱۲…) numerals, as Latin digits. */
export function latinDigits(text: string): string {
  return text
    .replace(/[\u0660-\u0669]/g, (d) => String(d.charCodeAt(0) - 0x0660))
    .replace(/[\u06f0-\u06f9]/g, (d) => String(d.charCodeAt(0) - 0x06f0))
    .replace(/\u066b/g, ".") // Arabic decimal separator
    .replace(/\u066c/g, ","); // Arabic thousands separator
}

/**
 * A mobile number as people paste it — spaces, dashes, brackets, `+20` or `0020` — as the 11-digit
 * national form the database keeps (`01012345678`). Anything else comes back cleaned but unchanged,
 * for the 11-digit check to refuse.
 */
export function normaliseMobile(input: string): string {
  let digits = latinDigits(input).replace(/[\s\-().\u200e\u200f]/g, "");
  if (digits.startsWith("+20")) digits = `0${digits.slice(3)}`;
  else if (digits.startsWith("0020")) digits = `0${digits.slice(4)}`;
  else if (/^20\d{10}$/.test(digits)) digits = `0${digits.slice(2)}`;
  return digits;
}

export const isMobile = (value: string): boolean => /^01\d{9}$/.test(value);

/**
 * An amount as typed (`12`, `12.5`, `١٢٫٥`) as the exact decimal string sent to the database, or null
 * when it is not an amount: `12abc`, `1e3`, `-5` and `12.345` are refused, never read as a number.
 */
export function parseAmount(input: string): string | null {
  const text = latinDigits(input)
    .trim()
    .replace(/,(?=\d{3}(\D|$))/g, "");
  if (!/^\d+(\.\d{1,2})?$/.test(text)) return null;
  const value = Number(text);
  if (!(value > 0) || value >= 1e10) return null;
  return text;
}

/** Money with two decimals and its currency; never "— EGP": a missing amount is a word, not a figure. */
export function formatMoney(value: string | number | null | undefined, lang = "en", currency = "EGP", missing = "—"): string {
  if (value == null || value === "") return missing;
  const amount = Number(value).toLocaleString(intlLocale(lang), { minimumFractionDigits: 2, maximumFractionDigits: 2 });
  return `${amount} ${currency === "EGP" ? msg("EGP") : currency}`;
}

/** An estimate in whole pounds ("about 120 EGP"): the decimals of an average mean nothing to a reader. */
export function formatRoundMoney(value: string | number | null, lang = "en"): string {
  return `${Math.round(Number(value)).toLocaleString(intlLocale(lang))} ${msg("EGP")}`;
}

/** Data in the unit a person uses: MB below 1 GB, else GB with at most one decimal (1 GB = 1024 MB). */
export function formatData(mb: number | null | undefined, lang = "en"): string {
  const value = mb ?? 0;
  const locale = intlLocale(lang);
  if (Math.abs(value) < 1024) return msg(str`${value.toLocaleString(locale)} MB`);
  return msg(str`${(value / 1024).toLocaleString(locale, { maximumFractionDigits: 1 })} GB`);
}

export const formatMinutes = (minutes: number | null | undefined, lang = "en"): string =>
  minutes === 1 ? msg("1 minute") : msg(str`${(minutes ?? 0).toLocaleString(intlLocale(lang))} minutes`);

export const formatSms = (count: number | null | undefined, lang = "en"): string =>
  msg(str`${(count ?? 0).toLocaleString(intlLocale(lang))} SMS`);

export const formatNumber = (value: number | null | undefined, lang = "en"): string => (value ?? 0).toLocaleString(intlLocale(lang));

/** A date (`2026-11-30`) as people read it: "30 Nov 2026". */
export function formatDate(value: string | null | undefined, lang = "en"): string {
  if (!value) return "";
  const date = new Date(`${value.slice(0, 10)}T00:00:00`);
  if (Number.isNaN(date.getTime())) return value;
  return date.toLocaleDateString(intlLocale(lang), { day: "numeric", month: "short", year: "numeric" });
}

/** The first day of next month: when this month's allowances reset. */
export function nextMonthStart(now = new Date()): string {
  const next = new Date(now.getFullYear(), now.getMonth() + 1, 1);
  return `${next.getFullYear()}-${String(next.getMonth() + 1).padStart(2, "0")}-01`;
}

/** What each database refusal means to the customer (SQLSTATE → sentence). */
const refusals = (): Partial<Record<RefusalCode, string>> => ({
  "42501": msg("That number is not one of yours."),
  TC101: msg("There is no account with that number."),
  TC102: msg("That plan does not exist."),
  TC103: msg("This number is on hold: resume a plan or call us to reactivate it before paying or sending money."),
  TC104: msg("Enter an amount above zero."),
  TC105: msg("Use at most two decimals (piasters)."),
  TC106: msg("Choose how to pay."),
  TC110: msg("That payment is not one of this number's."),
  TC111: msg("Only a completed payment earns cashback."),
  TC112: msg("That benefit is not one of this number's."),
  TC113: msg("That benefit has expired."),
  TC114: msg("That payment has already earned cashback."),
  TC115: msg("You need a wallet to receive cashback."),
  TC116: msg("That payment is too small to earn cashback."),
  TC117: msg("Only cash and card payments earn cashback: a payment from your wallet does not."),
  TC120: msg("That voucher no longer exists."),
  TC121: msg("Someone has already redeemed that voucher."),
  TC122: msg("That voucher has expired."),
  TC123: msg("This number does not have enough points for that voucher."),
  TC130: msg("This number already has that plan."),
  TC131: msg("This number has no active subscription to that plan."),
  TC132: msg("That plan is on hold: resume it instead."),
  TC133: msg("That plan is not on hold."),
  TC140: msg("Describe the problem (at most 2000 characters)."),
  TC141: msg("Choose a priority from 1 to 5."),
  TC212: msg("Use at least 8 characters."),
  TC223: msg("This e-mail cannot be used: choose another."),
  TC225: msg("Enter an e-mail address like name@example.com."),
  TC301: msg("This request was already sent with other details; please try again."),
  TC311: msg("This number has no wallet to send from."),
  TC312: msg("Enter an 11-digit mobile number, e.g. 010 1234 5678."),
  TC313: msg("You cannot send money to that number."),
  TC314: msg("You cannot send money to your own wallet."),
  TC315: msg("That number has no wallet in Egyptian pounds."),
  TC316: msg("Your wallet does not hold that much."),
  TC317: msg("Your balance cannot hold that much more: choose a smaller amount."),
  TC318: msg("Cash is paid at a shop: choose card or wallet."),
  TC319: msg("Pay at least the plan's price."),
  TC701: msg("A monthly-bill number's plans are on its bill: pay the bill instead."),
  TC702: msg("Bills are run for the 1st of a month that has begun."),
  TC704: msg("There is no bill with that number."),
  TC705: msg("A credit note cannot be more than the bill's total less the credit notes already issued against it."),
  TC706: msg("Give the reason for the credit note."),
  TC707: msg("A bill run for that month is already queued or running."),
  TC500: msg("Something went wrong on our side: try again in a moment."),
  TC506: msg("Too many rows asked at once."),
  TC508: msg("Too many requests at once: wait a moment and try again."),
  TC512: msg("This list has changed since it was loaded: reload the page."),
});

/** The sentence for a refusal: ours when we know the code, else the database's own message. */
export const refusal = (code: string | undefined, message: string): string => (code && refusals()[code as RefusalCode]) || message;
