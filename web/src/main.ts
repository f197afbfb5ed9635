import "./app/telecom-app.ts";
import { startRouter } from "./router.ts";

startRouter();
