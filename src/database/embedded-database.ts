import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';

export interface EmbeddedDatabase {
  url: string;
  // The whole data directory as a gzipped tarball (PGlite's dumpDataDir), e.g. a test template.
  dump(): Promise<Buffer>;
  stop(): Promise<void>;
}

// PGlite runs one query at a time, and pglite-socket 0.2.17 can interleave the extended-protocol
// messages of two connections while a third holds a transaction (electric-sql/pglite#1046).
// One pooled connection loses no parallelism and rules that out; code inside a transaction
// queries only through the transaction's manager, so it never waits for a second connection.
export const EMBEDDED_POOL_SIZE = 1;

// The worker's own code, plain CommonJS: it runs outside the TypeScript build and the test
// runner's module system, so it loads PGlite and pglite-socket by the paths resolved here.
const WORKER = `
const { parentPort, workerData } = require('node:worker_threads');
const { PGlite } = require(workerData.pglite);
const { PGLiteSocketServer } = require(workerData.socket);
(async () => {
  const load = workerData.load ? new Blob([workerData.load]) : undefined;
  const db = await PGlite.create({ dataDir: workerData.dataDir, loadDataDir: load });
  const server = new PGLiteSocketServer({ db, host: '127.0.0.1', port: 0, maxConnections: workerData.maxConnections });
  await server.start();
  parentPort.on('message', async ({ id, type }) => {
    try {
      if (type === 'dump') {
        const tarball = new Uint8Array(await (await db.dumpDataDir('gzip')).arrayBuffer());
        parentPort.postMessage({ id, tarball }, [tarball.buffer]);
      } else if (type === 'stop') {
        await server.stop();
        await db.close();
        parentPort.postMessage({ id });
        parentPort.close();
      }
    } catch (error) {
      parentPort.postMessage({ id, error: String(error && error.stack || error) });
    }
  });
  parentPort.postMessage({ ready: server.getServerConn() });
})().catch((error) => parentPort.postMessage({ failed: String(error && error.stack || error) }));
`;

// PGlite served over the PostgreSQL wire protocol, so TypeORM's ordinary postgres driver talks to
// it exactly as to a server: one code path for both. It runs in a thread of its own, so a long
// statement never stalls the API, and the database works while this thread analyses posts.
export async function startEmbeddedDatabase(options: { dataDir?: string; loadDataDir?: Buffer }): Promise<EmbeddedDatabase> {
  if (options.dataDir) mkdirSync(options.dataDir, { recursive: true });
  const unlock = options.dataDir ? lockDataDir(options.dataDir) : () => {};
  try {
    return await start(options, unlock);
  } catch (error) {
    unlock();
    throw error;
  }
}

// PGlite opens a data directory a second time without complaint, and two of them corrupt it (a
// `paradox user:create` beside a running Paradox, say): the first to start holds a lock file.
const heldHere = new Set<string>();

function lockDataDir(dataDir: string): () => void {
  const file = join(resolve(dataDir), 'paradox.lock');
  for (let tries = 0; ; tries++) {
    try {
      writeFileSync(file, String(process.pid), { flag: 'wx' });
      heldHere.add(file);
      return () => {
        heldHere.delete(file);
        rmSync(file, { force: true });
      };
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST' || tries > 0) throw error;
      const holder = Number(readFileSync(file, 'utf8'));
      // Our own pid on a lock we do not hold is a file left by an earlier container (always pid 1).
      if (holder === process.pid ? heldHere.has(file) : isRunning(holder)) {
        throw new Error(`the embedded database in ${dataDir} is open in process ${holder}: stop that Paradox first (or use DATABASE_URL)`);
      }
      // Left behind by a process that ended without closing the database.
      rmSync(file, { force: true });
    }
  }
}

function isRunning(pid: number): boolean {
  if (!Number.isInteger(pid) || pid <= 0) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

async function start(options: { dataDir?: string; loadDataDir?: Buffer }, unlock: () => void): Promise<EmbeddedDatabase> {
  const require = createRequire(import.meta.url);
  const worker = new Worker(WORKER, {
    eval: true,
    workerData: {
      pglite: require.resolve('@electric-sql/pglite'),
      socket: require.resolve('@electric-sql/pglite-socket'),
      dataDir: options.dataDir,
      load: options.loadDataDir,
      maxConnections: EMBEDDED_POOL_SIZE + 2,
    },
  });
  const conn = await new Promise<string>((resolve, reject) => {
    const exited = (code: number) => reject(new Error(`the embedded database stopped while starting (exit ${code})`));
    worker.once('error', reject);
    worker.once('exit', exited);
    worker.once('message', (m: { ready?: string; failed?: string }) => {
      // Only these: the Worker's own listeners (newListener, removeListener) must stay.
      worker.off('error', reject).off('exit', exited);
      if (m.ready) resolve(m.ready);
      else reject(new Error(m.failed));
    });
  });
  let next = 0;
  const pending = new Map<number, { resolve(m: { tarball?: Uint8Array }): void; reject(e: Error): void }>();
  worker.on('message', (m: { id: number; error?: string; tarball?: Uint8Array }) => {
    const call = pending.get(m.id);
    pending.delete(m.id);
    if (m.error) call?.reject(new Error(m.error));
    else call?.resolve(m);
  });
  worker.on('error', (error) => pending.forEach((call) => call.reject(error)));
  const ask = (type: 'dump' | 'stop') =>
    new Promise<{ tarball?: Uint8Array }>((resolve, reject) => {
      pending.set(++next, { resolve, reject });
      worker.postMessage({ id: next, type });
    });
  let stopped: Promise<void> | null = null;
  return {
    url: `postgres://postgres@${conn}/postgres`,
    dump: async () => Buffer.from((await ask('dump')).tarball!),
    stop: () => (stopped ??= ask('stop').then(() => worker.terminate().then(unlock))),
  };
}
