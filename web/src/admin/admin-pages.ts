// The admin chunk: loaded by the shell (app/routes.ts) only when an administrator opens an admin page.
import "./admin-bill.ts";
import "./admin-bills.ts";
import "./admin-customers.ts";
import "./admin-dashboard.ts";
import "./admin-live-usage.ts";
import "./admin-manage.ts";
import "./admin-report.ts";

export { reportByKey } from "../../../shared/admin-reports.ts";
