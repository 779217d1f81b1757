import { mkdirSync } from 'node:fs';
import { PGlite } from '@electric-sql/pglite';
import { PGLiteSocketServer } from '@electric-sql/pglite-socket';

export interface EmbeddedDatabase {
  url: string;
  db: PGlite;
  stop(): Promise<void>;
}

// PGlite runs one query at a time, and pglite-socket 0.2.17 can interleave the extended-protocol
// messages of two connections while a third holds a transaction (electric-sql/pglite#1046).
// One pooled connection loses no parallelism and rules that out; code inside a transaction
// queries only through the transaction's manager, so it never waits for a second connection.
export const EMBEDDED_POOL_SIZE = 1;

// PGlite served in-process over the PostgreSQL wire protocol, so TypeORM's ordinary postgres
// driver talks to it exactly as to a server: one code path for both.
export async function startEmbeddedDatabase(options: { dataDir?: string; loadDataDir?: Blob }): Promise<EmbeddedDatabase> {
  if (options.dataDir) mkdirSync(options.dataDir, { recursive: true });
  const db = await PGlite.create({ dataDir: options.dataDir, loadDataDir: options.loadDataDir });
  const server = new PGLiteSocketServer({ db, host: '127.0.0.1', port: 0, maxConnections: EMBEDDED_POOL_SIZE + 2 });
  await server.start();
  return {
    url: `postgres://postgres@${server.getServerConn()}/postgres`,
    db,
    async stop() {
      await server.stop();
      await db.close();
    },
  };
}
