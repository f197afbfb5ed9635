/**
 * English and Arabic with @lit/localize in runtime mode: English is written in the source (`msg`),
 * Arabic is loaded on first use (its own chunk, `locales/ar.ts`), and `setLocale` re-renders every
 * `@localized()` element without a reload.
 */
import { configureLocalization } from "@lit/localize";

export const { getLocale, setLocale } = configureLocalization({
  sourceLocale: "en",
  targetLocales: ["ar"],
  loadLocale: () => import("../locales/ar.ts"),
});
