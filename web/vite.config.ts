import { fileURLToPath } from "node:url";
import { defineConfig } from "vite";

// `npm run build` from the project root: the app lives in web/, its output in web/dist (served at /).
export default defineConfig({
  root: fileURLToPath(new URL(".", import.meta.url)),
  build: {
    outDir: "dist",
    emptyOutDir: true,
    target: "es2022",
  },
  server: {
    proxy: { "/graphql": "http://localhost:5678" },
  },
});
