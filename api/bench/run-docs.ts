/** `npm run bench:docs`: the tables of docs/performance.md made anew from docs/bench-results.json (performance-doc.ts). */
import path from "node:path";
import { projectRoot } from "../src/paths.ts";
import { PERFORMANCE_DOC, writePerformanceDoc } from "./performance-doc.ts";

writePerformanceDoc();
console.log(`${path.relative(projectRoot, PERFORMANCE_DOC)} rewritten from docs/bench-results.json`);
