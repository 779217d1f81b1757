import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { SchedulerRegistry } from '@nestjs/schedule';
import { DataSource } from 'typeorm';
import { DatabaseMaintenanceService } from '../../src/database/database-maintenance.service.js';
import { mastodonSource, startTestApp, type TestApp } from '../support/test-app.js';

interface TableStats {
  reltuples: number;
  last_analyze: Date | null;
  last_vacuum: Date | null;
}

describe('database maintenance (autovacuum where the database runs none)', () => {
  let t: TestApp;
  let db: DataSource;

  const stats = async (table: string): Promise<TableStats> =>
    (
      await db.query(
        `SELECT c.reltuples, s.last_analyze, s.last_vacuum FROM pg_stat_user_tables s JOIN pg_class c ON c.oid = s.relid WHERE s.relname = $1`,
        [table],
      )
    )[0];

  // Authors written in one transaction whose backend reports its counts as it commits.
  const addAuthors = (from: number, count: number) =>
    db.transaction(async (m) => {
      await m.query(
        `INSERT INTO author (platform, external_id, handle) SELECT 'mastodon', 'a' || i, '@a' || i FROM generate_series($1::int, $2::int) i`,
        [from, from + count - 1],
      );
      await m.query('SELECT pg_stat_force_next_flush()');
    });

  beforeAll(async () => {
    t = await startTestApp(mastodonSource('http://127.0.0.1:9'), { env: { T_MASTODON: 'unused' } });
    db = t.app.get(DataSource);
    // On the server its own autovacuum could get there first; this test watches Paradox's.
    if (t.db.kind === 'server') await db.query('ALTER TABLE author SET (autovacuum_enabled = false)');
  });
  afterAll(() => t.close());

  it('analyses a table past the autovacuum threshold, and leaves alone the ones that are not', async () => {
    await addAuthors(1, 400);
    const maintenance = t.app.get(DatabaseMaintenanceService);
    const done = await maintenance.maintain();
    expect(done.find((m) => m.table === 'author')).toMatchObject({ analyze: true, why: [expect.stringMatching(/^400 rows changed since analysed > \d+$/)] });
    expect(done.map((m) => m.table)).not.toContain('team');
    const after = await stats('author');
    expect(after.reltuples).toBe(400);
    expect(after.last_analyze).not.toBeNull();

    // Nothing changed since: nothing to do for author. A tenth more is still under the threshold.
    expect((await maintenance.maintain()).map((m) => m.table)).not.toContain('author');
    await addAuthors(401, 80);
    expect((await maintenance.maintain()).map((m) => m.table)).not.toContain('author');
    await addAuthors(481, 1200);
    expect((await maintenance.maintain()).find((m) => m.table === 'author')).toMatchObject({ vacuum: true, analyze: true });
    expect(await stats('author')).toMatchObject({ reltuples: 1680, last_vacuum: expect.any(Date) });
  });

  it('is scheduled where the database runs no autovacuum launcher: always on PGlite, on a server whose autovacuum is off', async () => {
    const [{ launchers }] = await db.query(`SELECT count(*)::int AS launchers FROM pg_stat_activity WHERE backend_type = 'autovacuum launcher'`);
    if (t.db.kind === 'embedded') expect(launchers).toBe(0);
    // The test app's workers are off; with them on, the interval is set up as at start.
    t.config.worker.schedule = true;
    try {
      await t.app.get(DatabaseMaintenanceService).onApplicationBootstrap();
      const scheduled = t.app.get(SchedulerRegistry).getIntervals().includes('database-maintenance');
      expect(scheduled).toBe(launchers === 0);
      if (scheduled) t.app.get(SchedulerRegistry).deleteInterval('database-maintenance');
    } finally {
      t.config.worker.schedule = false;
    }
  });
});
