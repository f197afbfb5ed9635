/**
 * HTTP test helper: the real server on a free port of 127.0.0.1, connected as the authenticator of the
 * test database, with a fixed secret so tests can make their own tokens.
 */
import { startServer, type ServerOptions } from "../../src/server/app.ts";
import { signToken, type TokenClaims } from "../../src/server/jwt.ts";
import { Builder } from "./builder.ts";
import { authenticatorUrl, ownerUrl } from "./database.ts";

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
  /** A token of the test admin (an admin's claim counts only when it names an admin, as in every token authenticate_admin signs). */
  adminToken(expiresIn?: Parameters<typeof signToken>[2]): string;
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

/** The admin of the test servers running in this process: committed by the first to start, removed by the last to close. */
let testAdmin: { data: Builder; admin_id: Promise<number>; servers: number } | undefined;

/**
 * `webRoot` defaults to none, so tests do not depend on whether the web app was built; `production`
 * defaults to false (arbitrary documents and introspection for everyone), whatever NODE_ENV says;
 * `maintenance` defaults to none (a test that needs the tick asks for it, with a short interval).
 */
export async function startTestServer(options: TestServerOptions = {}): Promise<TestServer> {
  if (!testAdmin) {
    const data = new Builder();
    testAdmin = { data, admin_id: data.admin().then((admin) => admin.admin_id), servers: 0 };
  }
  const admin = testAdmin;
  const adminId = await admin.admin_id;
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
  admin.servers += 1;
  let closed = false;
  return {
    ...server,
    async close() {
      await server.close();
      if (closed) return;
      closed = true;
      admin.servers -= 1;
      if (admin.servers === 0) {
        testAdmin = undefined;
        await admin.data.remove();
      }
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
    adminToken: (expiresIn) => signToken(TEST_JWT_SECRET, { role: "telecom_admin", admin_id: adminId }, expiresIn),
  };
}
