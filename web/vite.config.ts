import { fileURLToPath } from "node:url";
import { defineConfig } from "vite";
import { persistedDocumentsPlugin, WEB_OUT_DIR } from "./persisted-documents.ts";

// `npm run build` from the project root: the app lives in web/, its output in web/dist (served at /),
// with the persisted-documents manifest next to index.html.
export default defineConfig({
  root: fileURLToPath(new URL(".", import.meta.url)),
  plugins: [persistedDocumentsPlugin()],
  build: {
    outDir: WEB_OUT_DIR,
    emptyOutDir: true,
    target: "es2022",
  },
  server: {
    proxy: { "/graphql": "http://localhost:5678" },
  },
});
