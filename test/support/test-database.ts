import { createHash, randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import pg from 'pg';
import { DataSource } from 'typeorm';
import { dataSourceOptions } from '../../src/database/data-source-options.js';
import { EMBEDDED_POOL_SIZE, startEmbeddedDatabase } from '../../src/database/embedded-database.js';
import { MIGRATIONS } from '../../src/database/migrations/index.js';
import { TMP_DIR } from './paths.js';

export interface TestDatabase {
  url: string;
  kind: 'embedded' | 'server';
  // What the app is told: one connection to the embedded database, as the app itself would use.
  env: Record<string, string>;
  stop(): Promise<void>;
}

// With DATABASE_URL the tests run on that server, each file in a database of its own made fresh
// and migrated; without it, each file opens a copy of one migrated embedded template.
export async function createTestDatabase(): Promise<TestDatabase> {
  const server = process.env.DATABASE_URL;
  if (!server) {
    const embedded = await startEmbeddedDatabase({ loadDataDir: await embeddedTemplate() });
    return { url: embedded.url, kind: 'embedded', env: { DATABASE_URL: embedded.url, DATABASE_POOL_SIZE: String(EMBEDDED_POOL_SIZE) }, stop: () => embedded.stop() };
  }
  const name = `paradox_test_${randomBytes(6).toString('hex')}`;
  await adminQuery(server, `CREATE DATABASE ${name}`);
  const url = new URL(server);
  url.pathname = `/${name}`;
  await migrate(url.toString());
  return { url: url.toString(), kind: 'server', env: { DATABASE_URL: url.toString() }, stop: () => adminQuery(server, `DROP DATABASE IF EXISTS ${name} WITH (FORCE)`) };
}

// A fresh PGlite takes seconds to create: build one migrated template per set of migrations
// and reopen copies of it (about a second each).
async function embeddedTemplate(): Promise<Buffer> {
  const hash = createHash('sha256').update(MIGRATIONS.map((m) => m.name).join(',')).digest('hex').slice(0, 12);
  const file = join(TMP_DIR, `pglite-template-${hash}.tar.gz`);
  if (!existsSync(file)) {
    mkdirSync(TMP_DIR, { recursive: true });
    const embedded = await startEmbeddedDatabase({});
    await migrate(embedded.url);
    const dump = await embedded.dump();
    await embedded.stop();
    writeFileSync(`${file}.part`, dump);
    renameSync(`${file}.part`, file);
  }
  return readFileSync(file);
}

async function migrate(url: string): Promise<void> {
  const ds = new DataSource(dataSourceOptions(url, 1));
  await ds.initialize();
  await ds.runMigrations({ transaction: 'each' });
  await ds.destroy();
}

async function adminQuery(server: string, sql: string): Promise<void> {
  const client = new pg.Client({ connectionString: server });
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
}
