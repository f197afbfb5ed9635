// The admin chunk: loaded by the shell only when an administrator is logged in.
import "./admin-router.ts";
