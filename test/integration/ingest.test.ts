import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { DataSource } from 'typeorm';
import type { FetchedPost } from '../../src/sources/social-connector.js';
import { IngestService } from '../../src/sources/ingest.service.js';
import { TestClock } from '../support/test-clock.js';
import { mastodonSource, startTestApp, type TestApp } from '../support/test-app.js';

const at = new Date('2026-11-02T09:00:00Z');

function fetched(id: string, inReplyTo: string | null, text = '@acme my parcel is still not delivered', minute = 0): FetchedPost {
  return {
    externalId: id,
    url: null,
    text,
    language: 'en',
    visibility: 'public',
    postedAt: new Date(at.getTime() + minute * 60_000),
    inReplyToExternalId: inReplyTo,
    author: { externalId: `author-of-${id}`, handle: `@u${id}`, displayName: null, followers: 10 },
    raw: { id },
  };
}

describe('ingesting a page', () => {
  let t: TestApp;
  let ingest: IngestService;
  const run = (posts: FetchedPost[], cursor: Record<string, string>) => ingest.ingest(t.config.sources[0], 'mastodon', posts, cursor, '@acme');
  const roots = async () =>
    Object.fromEntries(
      (await t.app.get(DataSource).query('SELECT external_id, root_external_id FROM post')).map((r: Record<string, string>) => [r.external_id, r.root_external_id]),
    );

  beforeAll(async () => {
    t = await startTestApp(mastodonSource('http://127.0.0.1:9'), { clock: new TestClock(at), env: { T_MASTODON: 'unused' } });
    await t.app.get(DataSource).query(`INSERT INTO source_state (source_id, platform) VALUES ('acme-mastodon', 'mastodon')`);
    ingest = t.app.get(IngestService);
  });

  afterAll(async () => {
    await t?.close();
  });

  it('finds each thread root: in the page, among stored posts, or the unknown parent', async () => {
    await run([fetched('A', null)], { mentions: 'A' });
    // Out of order on purpose: C answers B, which answers the stored A; E answers D, which answers the unknown X.
    await run([fetched('C', 'B', undefined, 3), fetched('E', 'D', undefined, 5), fetched('B', 'A', undefined, 2), fetched('D', 'X', undefined, 4)], { mentions: 'E' });
    expect(await roots()).toEqual({ A: 'A', B: 'A', C: 'A', D: 'X', E: 'X' });
  });

  it('stores a page it has seen once, and moves the cursor in the same transaction', async () => {
    const again = await run([fetched('D', 'X'), fetched('F', null, 'thanks @acme, all good now!')], { mentions: 'F' });
    expect(again).toMatchObject({ stored: 1, duplicates: 1 });
    const [state] = await t.app.get(DataSource).query(`SELECT cursor, posts_ingested FROM source_state`);
    expect(state).toEqual({ cursor: { mentions: 'F' }, posts_ingested: 6 });
  });

  it('stores the analysis beside every new post', async () => {
    const rows = await t.app.get(DataSource).query(
      `SELECT p.external_id, a.is_complaint, a.language FROM post p JOIN post_analysis a ON a.post_id = p.id ORDER BY p.external_id`,
    );
    expect(rows.map((r: { external_id: string }) => r.external_id)).toEqual(['A', 'B', 'C', 'D', 'E', 'F']);
    expect(rows.find((r: { external_id: string }) => r.external_id === 'F')).toMatchObject({ is_complaint: false, language: 'en' });
  });
});
