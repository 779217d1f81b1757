import { join } from 'node:path';
import pg from 'pg';
import { createTestDatabase, type TestDatabase } from '../test/support/test-database.js';
import { startTestApp, type TestApp } from '../test/support/test-app.js';
import { projectRoot } from './project-root.js';

export type DatabaseKind = 'embedded' | 'server';

export const DEFAULT_SERVER_URL = 'postgres://postgres@127.0.0.1:5432/postgres';

// createTestDatabase picks embedded or server by DATABASE_URL when called: set it just for the call.
export async function createBenchDatabase(kind: DatabaseKind, serverUrl: string): Promise<TestDatabase> {
  const saved = process.env.DATABASE_URL;
  if (kind === 'server') process.env.DATABASE_URL = serverUrl;
  else delete process.env.DATABASE_URL;
  try {
    return await createTestDatabase();
  } finally {
    if (saved === undefined) delete process.env.DATABASE_URL;
    else process.env.DATABASE_URL = saved;
  }
}

// Why the server part cannot run, or null when it can.
export async function serverUnavailable(serverUrl: string): Promise<string | null> {
  const client = new pg.Client({ connectionString: serverUrl, connectionTimeoutMillis: 3_000 });
  try {
    await client.connect();
    await client.query('SELECT 1');
    return null;
  } catch (error) {
    return `${serverUrl}: ${(error as Error).message || String(error)}`;
  } finally {
    await client.end().catch(() => undefined);
  }
}

export async function startBenchApp(file: Record<string, unknown>, db: TestDatabase, env: Record<string, string>): Promise<TestApp> {
  // startTestApp resolves config paths against test/support's PROJECT_ROOT, which is dist-bench
  // here: name the templates by absolute path.
  return startTestApp({ ...file, templatesDir: join(projectRoot(), 'config/templates') }, { db, env });
}
