/** One connection for one piece of work. */
import pg from "pg";

/** Runs `work` on a new connection to `url` and ends the connection afterwards, also when `work` fails. */
export async function withClient<T>(url: string, work: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}
