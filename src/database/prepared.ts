import { randomUUID } from 'node:crypto';
import type { EntityManager } from 'typeorm';

interface PgClient {
  query(config: { name: string; text: string; values: unknown[] }): Promise<{ rows: unknown[] }>;
}

// Prepared statement names are unique per client: over pglite-socket every connection shares one
// backend session, so a name one connection prepared is already taken for the next one.
const clientNames = new WeakMap<object, string>();

// A named prepared statement on the transaction's own connection: PostgreSQL parses and plans
// the big per-page statements once per connection instead of once per page.
export async function queryPrepared<T>(m: EntityManager, name: string, text: string, values: unknown[]): Promise<T[]> {
  if (!m.queryRunner) throw new Error(`queryPrepared(${name}) needs a transaction's manager`);
  const client = (await m.queryRunner.connect()) as PgClient;
  let suffix = clientNames.get(client);
  if (!suffix) clientNames.set(client, (suffix = randomUUID().slice(0, 8)));
  const result = await client.query({ name: `${name}-${suffix}`, text, values });
  return result.rows as T[];
}
