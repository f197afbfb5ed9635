/**
 * What many elements read, provided by `<telecom-app>` with @lit/context: the login, the number the
 * customer chose (follows switch_number), and the language. Consumers use
 * `@consume({ context, subscribe: true })` and put the value in their Task's `args`.
 */
import { createContext } from "@lit/context";
import type { Session } from "../session/session-store.ts";

export const sessionContext = createContext<Session | null>(Symbol("telecom-session"));

/** The customer's chosen number (the token's mobile_no); null for admins and visitors. */
export const numberContext = createContext<string | null>(Symbol("telecom-number"));

export interface Language {
  /** BCP 47 tag for formatting numbers and dates. */
  lang: string;
  dir: "ltr" | "rtl";
}

export const languageContext = createContext<Language>(Symbol("telecom-language"));

/** The browser's preferred language among those the app speaks (English for now). */
export function browserLanguage(): Language {
  const supported: Language[] = [{ lang: "en", dir: "ltr" }];
  const wanted = navigator.languages?.map((tag) => tag.slice(0, 2)) ?? [];
  return supported.find((language) => wanted.includes(language.lang)) ?? supported[0];
}
