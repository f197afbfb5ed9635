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
  /** BCP 47 tag of the language: `en` or `ar`. */
  lang: "en" | "ar";
  dir: "ltr" | "rtl";
}

export const languageContext = createContext<Language>(Symbol("telecom-language"));

export const LANGUAGES: Record<Language["lang"], Language> = {
  en: { lang: "en", dir: "ltr" },
  ar: { lang: "ar", dir: "rtl" },
};

const CHOSEN = "telecom.language";

/** The language chosen in the header earlier, else the browser's first preferred language the app speaks, else English. */
export function browserLanguage(): Language {
  const chosen = localStorage.getItem(CHOSEN);
  if (chosen === "en" || chosen === "ar") return LANGUAGES[chosen];
  for (const tag of navigator.languages ?? [navigator.language]) {
    const lang = tag.slice(0, 2).toLowerCase();
    if (lang === "en" || lang === "ar") return LANGUAGES[lang];
  }
  return LANGUAGES.en;
}

export function rememberLanguage(language: Language): void {
  localStorage.setItem(CHOSEN, language.lang);
}
