import { randomUUID } from 'node:crypto';
import type { EntityManager } from 'typeorm';

interface PgClient {
  query(config: { name: string; text: string; values: unknown[] }): Promise<{ rows: unknown[] }>;
}

// Prepared statement names are unique per client: over pglite-socket every connection shares one
// backend session, so a name one connection prepared is already taken for the next one.
const clientNames = new WeakMap<object, string>();

// A named prepared statement on the transaction's own connection: PostgreSQL parses and plans
// the big per-page statements once per connection instead of once per page. The statement is on
// its way when this returns, so the caller can work while the database does.
export function queryPrepared<T>(m: EntityManager, name: string, text: string, values: unknown[]): Promise<T[]> {
  const client = (m.queryRunner as { databaseConnection?: PgClient } | undefined)?.databaseConnection;
  if (!client) throw new Error(`queryPrepared(${name}) needs a transaction's manager`);
  let suffix = clientNames.get(client);
  if (!suffix) clientNames.set(client, (suffix = randomUUID().slice(0, 8)));
  return client.query({ name: `${name}-${suffix}`, text, values }).then((result) => result.rows as T[]);
}
