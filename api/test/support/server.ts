/**
 * HTTP test helper: the real server on a free port of 127.0.0.1, connected as the authenticator of the
 * test database, with a fixed secret so tests can make their own tokens.
 */
import { startServer, type ServerOptions } from "../../src/server/app.ts";
import { signToken, type TokenClaims } from "../../src/server/jwt.ts";
import { authenticatorUrl, getRootPool, ownerUrl } from "./database.ts";

/**
 * The admin behind `tokenFor({ role: "telecom_admin", admin_id: TEST_ADMIN_ID })`: an admin's claim
 * counts only when it names an admin, as in every token authenticate_admin signs.
 */
export const TEST_ADMIN_ID = 900001;

export const TEST_JWT_SECRET = "telecom-test-secret-do-not-use-elsewhere";

/** The card processor's signing secret of test servers (PAYMENT_WEBHOOK_SECRET). */
export const TEST_WEBHOOK_SECRET = "telecom-test-webhook-secret-do-not-use-elsewhere";

export interface GraphQLResponse {
  status: number;
  body: {
    data?: Record<string, any> | null;
    errors?: { message: string; path?: (string | number)[]; extensions?: Record<string, unknown>; [key: string]: unknown }[];
  };
}

export interface TestServer {
  url: string;
  close(): Promise<void>;
  graphql(query: string, variables?: Record<string, unknown>, token?: string): Promise<GraphQLResponse>;
  tokenFor(claims: TokenClaims, expiresIn?: Parameters<typeof signToken>[2]): string;
}

export type TestServerOptions = Partial<
  Pick<
    ServerOptions,
    | "webRoot"
    | "statementTimeoutMs"
    | "production"
    | "trustedDocumentsFile"
    | "trustProxy"
    | "onPlanning"
    | "maintenance"
    | "sandbox"
    | "requestTimeoutMs"
  >
>;

/**
 * `webRoot` defaults to none, so tests do not depend on whether the web app was built; `production`
 * defaults to false (arbitrary documents and introspection for everyone), whatever NODE_ENV says;
 * `maintenance` defaults to none (a test that needs the tick asks for it, with a short interval).
 */
/** Test servers running in this process: the last one to close removes the test admin it committed. */
let openServers = 0;

export async function startTestServer(options: TestServerOptions = {}): Promise<TestServer> {
  // An id far above those the identity hands out (and the sample data's), so nothing collides with it.
  await getRootPool().query(
    `insert into telecom_private.admin_user (admin_id, username, password_hash) values (${TEST_ADMIN_ID}, 'test-admin-${TEST_ADMIN_ID}', '')
     on conflict do nothing`,
  );
  const server = await startServer({
    port: 0,
    urls: { owner: ownerUrl(), authenticator: authenticatorUrl() },
    jwtSecret: TEST_JWT_SECRET,
    paymentWebhookSecret: TEST_WEBHOOK_SECRET,
    ...options,
    maintenance: options.maintenance ?? false,
    webRoot: options.webRoot ?? null,
    production: options.production ?? false,
    // Tests read the outbox; nothing is sent.
    smsGateway: null,
  });
  openServers += 1;
  let closed = false;
  return {
    ...server,
    async close() {
      await server.close();
      if (closed) return;
      closed = true;
      openServers -= 1;
      // The sample data's identity must not meet it (its sequence is set past the highest admin id).
      if (openServers === 0) await getRootPool().query("delete from telecom_private.admin_user where admin_id = $1", [TEST_ADMIN_ID]);
    },
    async graphql(query, variables, token) {
      const response = await fetch(`${server.url}/graphql`, {
        method: "POST",
        headers: { "content-type": "application/json", accept: "application/json", ...(token ? { authorization: `Bearer ${token}` } : {}) },
        body: JSON.stringify({ query, variables }),
      });
      return { status: response.status, body: await response.json() };
    },
    tokenFor: (claims, expiresIn) => signToken(TEST_JWT_SECRET, claims, expiresIn),
  };
}
