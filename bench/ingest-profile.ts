import { performance } from 'node:perf_hooks';
import pg from 'pg';
import { AnalysisService } from '../src/analysis/analysis.service.js';
import type { FetchedPost } from '../src/sources/social-connector.js';
import type { TestApp } from '../test/support/test-app.js';
import { Ingestion } from './throughput.js';

interface Step {
  calls: number;
  ms: number;
}

export interface IngestProfile {
  pages: number;
  posts: number;
  totalMs: number;
  analysisMs: number;
  steps: [string, Step][];
}

// One line per statement shape: the SQL's first words, so "INSERT INTO case ..." from every page adds up.
function statementKey(sql: string): string {
  const flat = sql.replace(/\s+/g, ' ').trim();
  const insert = /^INSERT INTO ("?\w+"?)/i.exec(flat);
  if (insert) return `INSERT INTO ${insert[1]}${/RETURNING/i.test(flat) ? ' ... RETURNING' : ''}`;
  const update = /^UPDATE ("?\w+"?)/i.exec(flat);
  if (update) return `UPDATE ${update[1]}`;
  const select = /^SELECT .*? FROM ("?\w+"?)/i.exec(flat);
  if (select) return `SELECT FROM ${select[1]}${/unnest/i.test(flat) ? ' (unnest)' : ''}`;
  return flat.slice(0, 40);
}

// Where a page's time goes: each statement timed on the wire (pg.Client.query) and the analysis
// timed in the service, on pages the measured rounds never saw. The rest is JS in ingest and TypeORM.
export async function profileIngest(t: TestApp, pages: FetchedPost[][]): Promise<IngestProfile> {
  const steps = new Map<string, Step>();
  const client = pg.Client.prototype as unknown as { query: (...args: unknown[]) => unknown };
  const query = client.query;
  client.query = function (this: unknown, ...args: unknown[]) {
    const sql = typeof args[0] === 'string' ? args[0] : ((args[0] as { text?: string })?.text ?? '?');
    const started = performance.now();
    const result = query.apply(this, args);
    const record = () => {
      const key = statementKey(sql);
      const step = steps.get(key) ?? { calls: 0, ms: 0 };
      step.calls += 1;
      step.ms += performance.now() - started;
      steps.set(key, step);
    };
    if (result instanceof Promise) result.then(record, record);
    return result;
  };
  const analysis = t.app.get(AnalysisService);
  const analyse = analysis.analyse;
  let analysisMs = 0;
  analysis.analyse = (input) => {
    const started = performance.now();
    try {
      return analyse.call(analysis, input);
    } finally {
      analysisMs += performance.now() - started;
    }
  };
  try {
    const totals = await new Ingestion(t).run(pages);
    return {
      pages: pages.length,
      posts: totals.posts,
      totalMs: totals.ms,
      analysisMs,
      steps: [...steps.entries()].sort(([, a], [, b]) => b.ms - a.ms),
    };
  } finally {
    client.query = query;
    analysis.analyse = analyse;
  }
}

export function printProfile(kind: string, p: IngestProfile): void {
  const perPage = (ms: number) => (ms / p.pages).toFixed(2).padStart(8);
  const queryMs = p.steps.reduce((sum, [, s]) => sum + s.ms, 0);
  const queries = p.steps.reduce((sum, [, s]) => sum + s.calls, 0);
  console.log(`\n  where a page of ${p.posts / p.pages} goes on ${kind} (${p.pages} pages, instrumented; ms per page):`);
  console.log(`    ${'total ingest()'.padEnd(52)}${perPage(p.totalMs)}  100%`);
  console.log(`    ${'analysis (CPU, overlapping the page before)'.padEnd(52)}${perPage(p.analysisMs)}  ${share(p.analysisMs, p.totalMs)}`);
  console.log(`    ${`SQL, ${(queries / p.pages).toFixed(1)} statements per page`.padEnd(52)}${perPage(queryMs)}  ${share(queryMs, p.totalMs)}`);
  for (const [key, s] of p.steps) {
    console.log(`      ${`${key}  x${(s.calls / p.pages).toFixed(1)}`.padEnd(50)}${perPage(s.ms)}  ${share(s.ms, p.totalMs)}`);
  }
  const rest = p.totalMs - p.analysisMs - queryMs;
  console.log(`    ${'the rest: JS in ingest, TypeORM, waiting on the pool'.padEnd(52)}${perPage(rest)}  ${share(rest, p.totalMs)}`);
}

function share(part: number, whole: number): string {
  return `${((part / whole) * 100).toFixed(0).padStart(3)}%`;
}
