import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import pg from 'pg';
import { DataSource } from 'typeorm';
import type { FetchedPost } from '../../src/sources/social-connector.js';
import { CasesService } from '../../src/cases/cases.service.js';
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
  const clock = new TestClock(at);
  const run = (posts: FetchedPost[], cursor: Record<string, string>) => ingest.ingest(t.config.sources[0], 'mastodon', posts, cursor, '@acme');
  const roots = async () =>
    Object.fromEntries(
      (await t.app.get(DataSource).query('SELECT external_id, root_external_id FROM post')).map((r: Record<string, string>) => [r.external_id, r.root_external_id]),
    );

  beforeAll(async () => {
    t = await startTestApp(mastodonSource('http://127.0.0.1:9'), { clock, env: { T_MASTODON: 'unused' } });
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

  it('keeps one case when two sources take in the same thread at once, with both posts on it', async () => {
    const other = { ...t.config.sources[0], id: 'acme-mastodon-2' };
    const mine = (id: string) => ({ ...fetched(id, 'Y'), author: { externalId: 'twice', handle: '@twice', displayName: null, followers: 1 } });
    await Promise.all([
      run([mine('G')], { mentions: 'G' }),
      ingest.ingest(other, 'mastodon', [mine('H')], {}, '@acme'),
    ]);
    const cases = await t.app.get(DataSource).query(`SELECT c.id FROM "case" c JOIN author a ON a.id = c.author_id WHERE a.external_id = 'twice'`);
    expect(cases).toHaveLength(1);
    expect(await t.app.get(CasesService).postsOf(cases[0].id)).toHaveLength(2);
  });

  it('stores the post of an author another source added while the page was on its way', async () => {
    // The other source's transaction holds the new author while this page is stored, and commits
    // afterwards: the page's statement waits for it, and must then find the author it could not see.
    const other = new pg.Client({ connectionString: t.db.url });
    await other.connect();
    try {
      await other.query('BEGIN');
      await other.query(`INSERT INTO author (platform, external_id, handle, display_name, followers) VALUES ('mastodon', 'late', '@late', NULL, 3)`);
      const late = { ...fetched('L', null), author: { externalId: 'late', handle: '@late', displayName: null, followers: 3 } };
      const storing = run([late], { mentions: 'L' });
      await new Promise((resolve) => setTimeout(resolve, 300));
      await other.query('COMMIT');
      expect(await storing).toMatchObject({ stored: 1, opened: [expect.any(String)] });
    } finally {
      await other.end();
    }
    const [post] = await t.app.get(DataSource).query(`SELECT a.external_id FROM post p JOIN author a ON a.id = p.author_id WHERE p.external_id = 'L'`);
    expect(post).toEqual({ external_id: 'late' });
  });

  it('joins the posts to the case a competing poller opened between its lookup and its insert', async () => {
    const db = t.app.get(DataSource);
    // A reply: a post that starts its own thread cannot race, its id is unique.
    await run([fetched('K', 'Z', 'hello @acme')], { mentions: 'K' });
    const [first] = await db.query(`SELECT id, author_id FROM post WHERE external_id = 'K'`);
    // The other poller commits its case for the thread right after this page is stored and read
    // (the named statement ingest runs first): the proxy slips that insert in on the same
    // connection, whichever of the pool's connections the page takes.
    const runners = await Promise.all(Array.from({ length: db.driver.options.poolSize ?? 1 }, () => db.createQueryRunner()));
    const clients = (await Promise.all(runners.map((r) => r.connect()))) as { query: (...args: unknown[]) => Promise<unknown> }[];
    await Promise.all(runners.map((r) => r.release()));
    const queries = clients.map((c) => c.query);
    let raced = false;
    clients.forEach((c, i) => {
      c.query = async function (this: unknown, ...args: unknown[]) {
        const result = await queries[i].apply(this, args);
        if (!raced && (args[0] as { name?: string })?.name?.startsWith('ingest-store-page-')) {
          raced = true;
          await queries[i].call(this,
            `INSERT INTO "case" (brand_id, source_id, platform, author_id, thread_root_external_id, first_post_id, language, status, priority, ack_due_at, last_post_at)
             VALUES ('acme', 'acme-mastodon-2', 'mastodon', $1, 'Z', $2, 'en', 'open', 2, now(), now())`,
            [first.author_id, first.id],
          );
        }
        return result;
      };
    });
    const complaint = { ...fetched('K2', 'K'), author: { externalId: 'author-of-K', handle: '@uK', displayName: null, followers: 10 } };
    let result;
    try {
      result = await run([complaint], { mentions: 'K2' });
    } finally {
      clients.forEach((c, i) => (c.query = queries[i]));
    }
    expect(raced).toBe(true);
    expect(result.opened).toEqual([]);
    expect(result.joined).toHaveLength(1);
    const [k2] = await db.query(`SELECT id FROM post WHERE external_id = 'K2'`);
    expect((await t.app.get(CasesService).postsOf(result.joined[0])).map((p) => p.id)).toEqual([k2.id]);
  });

  it('stores pages one after another, each with its cursor, and stops at a page that cannot be fetched', async () => {
    const fetchedPages: string[] = [];
    async function* pages() {
      yield { posts: [fetched('P1', null, 'hello @acme')], cursor: { mentions: 'P1' } };
      fetchedPages.push('P2');
      yield { posts: [fetched('P2', null, 'hello again @acme')], cursor: { mentions: 'P2' } };
      fetchedPages.push('P3');
      throw new Error('the platform went away');
    }
    await expect(ingest.ingestPages(t.config.sources[0], 'mastodon', '@acme', pages())).rejects.toThrow('the platform went away');
    const db = t.app.get(DataSource);
    const stored = await db.query(`SELECT external_id FROM post WHERE external_id LIKE 'P_' ORDER BY external_id`);
    expect(stored.map((r: { external_id: string }) => r.external_id)).toEqual(['P1', 'P2']);
    const [state] = await db.query(`SELECT cursor FROM source_state`);
    expect(state.cursor).toEqual({ mentions: 'P2' });
    expect(fetchedPages).toEqual(['P2', 'P3']);
  });

  it('brings an author up to date when the handle changes, and leaves an unchanged one be', async () => {
    const db = t.app.get(DataSource);
    const author = (handle: string) => ({ externalId: 'renamed', handle, displayName: null, followers: 5 });
    await run([{ ...fetched('R1', null), author: author('@old') }], { mentions: 'R1' });
    const [before] = await db.query(`SELECT id, xmin FROM author WHERE external_id = 'renamed'`);
    await run([{ ...fetched('R2', null), author: author('@old') }], { mentions: 'R2' });
    const [unchanged] = await db.query(`SELECT id, xmin FROM author WHERE external_id = 'renamed'`);
    expect(unchanged).toEqual(before);
    await run([{ ...fetched('R3', null), author: author('@new') }], { mentions: 'R3' });
    const rows = await db.query(`SELECT a.id, a.handle FROM post p JOIN author a ON a.id = p.author_id WHERE p.external_id IN ('R1', 'R2', 'R3')`);
    expect(rows).toEqual([
      { id: before.id, handle: '@new' },
      { id: before.id, handle: '@new' },
      { id: before.id, handle: '@new' },
    ]);
  });

  it('stores the analysis beside every new post', async () => {
    const rows = await t.app.get(DataSource).query(
      `SELECT external_id, analysis_is_complaint AS is_complaint, analysis_language AS language FROM post ORDER BY external_id`,
    );
    expect(rows.map((r: { external_id: string }) => r.external_id)).toEqual(['A', 'B', 'C', 'D', 'E', 'F', 'G', 'H', 'K', 'K2', 'L', 'P1', 'P2', 'R1', 'R2', 'R3']);
    expect(rows.find((r: { external_id: string }) => r.external_id === 'F')).toMatchObject({ is_complaint: false, language: 'en' });
  });

  it('takes the thread root the platform names, though the parent is unknown', async () => {
    // A Reddit comment answering a comment never stored still belongs to its post's thread.
    await run([{ ...fetched('t1_b', 't1_a', undefined, 6), rootExternalId: 't3_post' }], { mentions: 't1_b' });
    expect((await roots()).t1_b).toBe('t3_post');
  });

  it("reads the latest five of a customer's earlier failures, and counts the rest", async () => {
    const many = (n: number) => ({ ...fetched(`M${n}`, null), author: { externalId: 'many', handle: '@many', displayName: null, followers: 1 } });
    const opened: string[] = [];
    for (let n = 1; n <= 7; n++) {
      clock.advance(60_000);
      opened.push(...(await run([many(n)], { mentions: `M${n}` })).opened);
    }
    const db = t.app.get(DataSource);
    const numbers = await db.query(`SELECT number FROM "case" WHERE id = ANY($1::uuid[]) ORDER BY number`, [opened]);
    const [last] = await db.query(`SELECT priority_why FROM "case" WHERE id = $1`, [opened[6]]);
    const refs = numbers.slice(1, 6).reverse().map((c: { number: number }) => `C-${c.number}`).join(', ');
    expect(last.priority_why.find((f: { factor: string }) => f.factor === 'repeat_failure').why).toContain(`(${refs} and 1 more)`);
    const [notice] = await db.query(`SELECT data FROM notification WHERE case_id = $1`, [opened[6]]);
    expect(notice.data).toMatchObject({ count: 6 });
    expect(notice.data.earlier).toHaveLength(5);
  });
});
