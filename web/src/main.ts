import "./components/app-shell.ts";
import { startRouter } from "./router.ts";

startRouter();
