import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { DataSource } from 'typeorm';
import { dataSourceOptions } from '../../src/database/data-source-options.js';
import { createTestDatabase, type TestDatabase } from '../support/test-database.js';

describe('migrations', () => {
  let db: TestDatabase;
  let ds: DataSource;

  beforeAll(async () => {
    db = await createTestDatabase();
    ds = await new DataSource(dataSourceOptions(db.url, 1)).initialize();
  });

  afterAll(async () => {
    await ds?.destroy();
    await db?.stop();
  });

  it('match the entities: migration:generate would produce nothing', async () => {
    const sql = await ds.driver.createSchemaBuilder().log();
    expect(sql.upQueries.map((q) => q.query)).toEqual([]);
  });

  it('have all run, and nothing is pending', async () => {
    expect(await ds.showMigrations()).toBe(false);
  });

  it('keep a post unique per platform and id in the schema itself', async () => {
    const [author] = await ds.query(`INSERT INTO author (platform, external_id, handle) VALUES ('mastodon', 'a1', '@a') RETURNING id`);
    const insert = () =>
      ds.query(
        `INSERT INTO post (brand_id, source_id, platform, external_id, author_id, text, visibility, posted_at, fetched_at, root_external_id, raw)
         VALUES ('acme', 's', 'mastodon', 'p1', $1, 'x', 'public', now(), now(), 'p1', '{}')`,
        [author.id],
      );
    await insert();
    await expect(insert()).rejects.toThrow(/uq_post_platform_external_id/);
  });
});
