import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { DataSource } from 'typeorm';
import { type BuiltFeed, type FeedFault, FeedServer, feedSources } from '../support/feed-server.js';
import { workers } from '../support/flow.js';
import { TestClock } from '../support/test-clock.js';
import { startTestApp, type TestApp } from '../support/test-app.js';
import { createTestDatabase, type TestDatabase } from '../support/test-database.js';

const REVIEWS = '/acme/reviews.rss';
const PLAIN = '/plain/reviews.rss';
const MINUTE = 60_000;

describe('a failing feed', () => {
  let feeds: FeedServer;
  let reviews: BuiltFeed;
  let plain: BuiltFeed;
  let t: TestApp;
  let clock: TestClock;
  let db: TestDatabase;
  let w: ReturnType<typeof workers>;
  let host: string;
  let added = 0;

  const config = () => feedSources({ 'acme-reviews': reviews.url, 'acme-plain': plain.url });
  const add = (n: number, feed = reviews) => {
    for (let i = 0; i < n; i++, added++) {
      feed.add({ title: `Order ${1000 + added} never arrived`, summary: 'Still waiting after three weeks and nobody answers my emails.', author: `Customer ${added}`, published: clock.now() });
    }
  };
  const health = async (id = 'acme-reviews') => (await t.as('agent').get('/sources')).data.find((s: { id: string }) => s.id === id);
  const count = async (sql: string) => Number((await t.app.get(DataSource).query(sql))[0].n);

  beforeAll(async () => {
    feeds = await FeedServer.start();
    host = new URL(feeds.url).host;
    reviews = feeds.reviewFeed(REVIEWS, 'Acme Shop reviews');
    // A server that sends neither ETag nor Last-Modified: every poll reads the whole feed.
    plain = feeds.reviewFeed(PLAIN, 'Acme forum', { validators: 'none' });
    clock = new TestClock(new Date());
    db = await createTestDatabase();
    t = await startTestApp(config(), { clock, db });
    w = workers(t);
    add(2);
    expect(await w.poll('acme-reviews')).toBe('polled');
  });

  afterAll(async () => {
    await t?.close();
    await db?.stop();
    await feeds?.stop();
  });

  const faults: [string, FeedFault, RegExp | string, number][] = [
    ['a 500', { kind: 'status', status: 500 }, 'TEMPORARY: GET the feed at HOST: HTTP 500', MINUTE],
    ['a 503', { kind: 'status', status: 503 }, 'TEMPORARY: GET the feed at HOST: HTTP 503', MINUTE],
    ['a timeout', { kind: 'timeout' }, 'TEMPORARY: GET the feed at HOST: timeout', MINUTE],
    // Where the cut falls decides which: inside an element, or between two.
    ['a body cut short', { kind: 'malformed' }, /BAD_RESPONSE: GET the feed at HOST: the (rss feed is cut short|feed is malformed)/, MINUTE],
    ['a sign-in page instead of the feed', { kind: 'body', body: '<!DOCTYPE html><html><body><form>Sign in</form></body></html>' }, 'BAD_RESPONSE: GET the feed at HOST: the body is not an RSS, Atom, RDF or JSON feed', MINUTE],
    ['broken XML', { kind: 'body', body: '<rss version="2.0"><channel><item><title>late</titel></item></channel></rss>', contentType: 'application/rss+xml' }, 'BAD_RESPONSE: GET the feed at HOST: the feed is malformed', MINUTE],
    ['a 403', { kind: 'status', status: 403 }, 'AUTH_EXPIRED: GET the feed at HOST: HTTP 403', 15 * MINUTE],
  ];
  it.each(faults)('backs off after %s, shows the source unhealthy, and recovers', async (_, fault, error, backoffMs) => {
    add(2);
    feeds.failNext(REVIEWS, fault);
    expect(await w.poll('acme-reviews')).toBe('failed');
    const sick = await health();
    expect(sick).toMatchObject({ healthy: false, backingOff: true, consecutiveFailures: 1 });
    expect(sick.lastError).toMatch(typeof error === 'string' ? error.replace('HOST', host) : new RegExp(error.source.replace('HOST', host)));
    expect(new Date(sick.backoffUntil).getTime()).toBe(clock.now().getTime() + backoffMs);
    expect(await w.poll('acme-reviews')).toBe('backing-off');

    clock.advance(backoffMs);
    expect(await w.poll('acme-reviews')).toBe('polled');
    expect(await health()).toMatchObject({ healthy: true, backingOff: false, consecutiveFailures: 0 });
  });

  it('waits as long as a 429 says in seconds', async () => {
    add(1);
    feeds.failNext(REVIEWS, { kind: '429', retryAfter: '600' });
    expect(await w.poll('acme-reviews')).toBe('failed');
    const limited = await health();
    expect(limited.lastError).toContain('RATE_LIMITED: GET the feed at');
    expect(new Date(limited.backoffUntil).getTime()).toBe(clock.now().getTime() + 10 * MINUTE);
    clock.advance(10 * MINUTE - 1000);
    expect(await w.poll('acme-reviews')).toBe('backing-off');
    clock.advance(1000);
    expect(await w.poll('acme-reviews')).toBe('polled');
  });

  it('waits until the date a 429 names', async () => {
    add(1);
    const until = new Date(Math.floor(clock.now().getTime() / 1000) * 1000 + 20 * MINUTE);
    feeds.failNext(REVIEWS, { kind: '429', retryAfter: until.toUTCString() });
    expect(await w.poll('acme-reviews')).toBe('failed');
    expect(new Date((await health()).backoffUntil)).toEqual(until);
    clock.set(new Date(until.getTime() - 1000));
    expect(await w.poll('acme-reviews')).toBe('backing-off');
    clock.set(until);
    expect(await w.poll('acme-reviews')).toBe('polled');
  });

  it('follows a redirect, and refuses an endless one', async () => {
    add(1);
    feeds.failNext(REVIEWS, { kind: 'redirect', to: `${REVIEWS}?moved=1`, status: 301 });
    expect(await w.poll('acme-reviews')).toBe('polled');
    expect(feeds.requestsFor(REVIEWS).slice(-2).map((r) => r.status)).toEqual([301, 200]);

    add(1);
    feeds.redirect('/loop/a', '/loop/b', 302);
    feeds.redirect('/loop/b', '/loop/a', 302);
    feeds.failNext(REVIEWS, { kind: 'redirect', to: '/loop/a' });
    expect(await w.poll('acme-reviews')).toBe('failed');
    expect((await health()).lastError).toContain('BAD_RESPONSE: GET the feed at');
    expect((await health()).lastError).toContain('more than 5 redirects');
    expect(feeds.requests.filter((r) => r.path.startsWith('/loop/'))).toHaveLength(5);
    clock.advance(MINUTE);
    expect(await w.poll('acme-reviews')).toBe('polled');
  });

  it('has stored every entry exactly once after the faults', async () => {
    expect(added).toBe(reviews.entries.length);
    expect(await count(`SELECT count(*) AS n FROM post WHERE source_id = 'acme-reviews'`)).toBe(added);
    expect(await count(`SELECT count(DISTINCT external_id) AS n FROM post WHERE source_id = 'acme-reviews'`)).toBe(added);
    expect(await count(`SELECT count(*) AS n FROM "case"`)).toBe(added);
  });

  it('neither loses nor re-reads an entry across a restart', async () => {
    expect(await w.poll('acme-reviews')).toBe('polled');
    // Close the app but keep its database, as a process restart would.
    await t.close();
    add(3);
    t = await startTestApp(config(), { clock, db });
    w = workers(t);
    expect(await w.poll('acme-reviews')).toBe('polled');
    // The cursor survived: the new process asked conditionally, and the changed feed came whole.
    const [first] = feeds.requestsFor(REVIEWS).slice(-1);
    expect(first).toMatchObject({ status: 200, headers: { 'if-none-match': expect.any(String), 'if-modified-since': expect.any(String) } });
    expect(await count(`SELECT count(*) AS n FROM post WHERE source_id = 'acme-reviews'`)).toBe(added);
    expect(await count(`SELECT count(DISTINCT external_id) AS n FROM post WHERE source_id = 'acme-reviews'`)).toBe(added);
    expect(await w.poll('acme-reviews')).toBe('polled');
    expect(feeds.requestsFor(REVIEWS).at(-1)!.status).toBe(304);
  });

  it('reads a feed without validators whole every time and stores each entry once', async () => {
    const before = added;
    add(2, plain);
    expect(await w.poll('acme-plain')).toBe('polled');
    expect(await w.poll('acme-plain')).toBe('polled');
    add(1, plain);
    expect(await w.poll('acme-plain')).toBe('polled');
    const requests = feeds.requestsFor(PLAIN);
    expect(requests.map((r) => r.status)).toEqual([200, 200, 200]);
    expect(requests.every((r) => r.headers['if-none-match'] === undefined && r.headers['if-modified-since'] === undefined)).toBe(true);
    expect(await count(`SELECT count(*) AS n FROM post WHERE source_id = 'acme-plain'`)).toBe(added - before);
    const [{ cursor }] = await t.app.get(DataSource).query(`SELECT cursor FROM source_state WHERE source_id = 'acme-plain'`);
    expect(Object.keys(cursor)).toEqual(['seen']);
    expect(cursor.seen.split(' ')).toHaveLength(3);
  });
});
