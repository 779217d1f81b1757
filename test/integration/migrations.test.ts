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
        `INSERT INTO post (brand_id, source_id, platform, external_id, author_id, text, visibility, posted_at, fetched_at, root_external_id, raw,
           analysis_language, analysis_sentiment_score, analysis_sentiment_label, analysis_complaint_probability, analysis_is_complaint,
           analysis_why, analysis_topic, analysis_model_version, analysis_analysed_at)
         VALUES ('acme', 's', 'mastodon', 'p1', $1, 'x', 'public', now(), now(), 'p1', '{}', 'en', -0.5, 'negative', 0.9, true, '["late"]',
           'delivery', 'm1', now())`,
        [author.id],
      );
    await insert();
    await expect(insert()).rejects.toThrow(/uq_post_platform_external_id/);
  });

  // AnalysisOnThePost: the analyses stored in post_analysis move onto their posts' rows.
  it('move each analysis onto its post, and mark a post that had none as unanalysed', async () => {
    await ds.undoLastMigration();
    const [author] = await ds.query(`SELECT id FROM author WHERE external_id = 'a1'`);
    const post = (id: string) =>
      ds.query(
        `INSERT INTO post (brand_id, source_id, platform, external_id, author_id, text, visibility, posted_at, fetched_at, root_external_id, raw)
         VALUES ('acme', 's', 'mastodon', $2, $1, 'x', 'public', now(), now(), $2, '{}') RETURNING id`,
        [author.id, id],
      );
    const [p2] = await post('p2');
    await post('p3');
    await ds.query(
      `INSERT INTO post_analysis (post_id, language, sentiment_score, sentiment_label, complaint_probability, is_complaint, why, topic, severity,
         severity_why, abusive, intent, model_version, analysed_at)
       VALUES ($1, 'nl', -0.8, 'negative', 0.95, true, '["kapot"]', 'product', 'high', '["money lost"]', false, 'complaint', 'm2', now())`,
      [p2.id],
    );

    await ds.runMigrations();
    const rows = await ds.query(
      `SELECT external_id, analysis_language, analysis_is_complaint, analysis_why, analysis_topic, analysis_severity, analysis_severity_why,
         analysis_intent, analysis_model_version
       FROM post ORDER BY external_id`,
    );
    expect(rows).toEqual([
      expect.objectContaining({ external_id: 'p1', analysis_language: 'en', analysis_is_complaint: true, analysis_why: ['late'], analysis_topic: 'delivery', analysis_model_version: 'm1' }),
      expect.objectContaining({
        external_id: 'p2',
        analysis_language: 'nl',
        analysis_is_complaint: true,
        analysis_why: ['kapot'],
        analysis_topic: 'product',
        analysis_severity: 'high',
        analysis_severity_why: ['money lost'],
        analysis_intent: 'complaint',
        analysis_model_version: 'm2',
      }),
      expect.objectContaining({ external_id: 'p3', analysis_language: 'other', analysis_is_complaint: false, analysis_why: [], analysis_model_version: 'unanalysed' }),
    ]);
    expect(await ds.query(`SELECT to_regclass('post_analysis') AS t`)).toEqual([{ t: null }]);
    expect((await ds.driver.createSchemaBuilder().log()).upQueries).toEqual([]);
  });
});
