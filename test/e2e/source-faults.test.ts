import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { DataSource } from 'typeorm';
import { workers } from '../support/flow.js';
import { type Fault, type ImitationAccount, MastodonImitation } from '../support/mastodon-imitation.js';
import { TestClock } from '../support/test-clock.js';
import { mastodonSource, startTestApp, type TestApp } from '../support/test-app.js';
import { createTestDatabase, type TestDatabase } from '../support/test-database.js';

const complaints = (n: number, from: number) => Array.from({ length: n }, (_, i) => `@acme order ${from + i} still not delivered, waiting for weeks`);

async function sourceHealth(t: TestApp) {
  const response = await t.as('agent').get('/sources');
  return response.data.find((s: { id: string }) => s.id === 'acme-mastodon');
}

async function countRows(t: TestApp, sql: string): Promise<number> {
  const [{ n }] = await t.app.get(DataSource).query(sql);
  return Number(n);
}

describe('a failing Mastodon source', () => {
  let mastodon: MastodonImitation;
  let t: TestApp;
  let clock: TestClock;
  let customer: ImitationAccount;
  let w: ReturnType<typeof workers>;
  let db: TestDatabase;
  let posted = 0;

  const post = (n: number) => {
    for (const text of complaints(n, posted)) mastodon.post(customer, text, { createdAt: clock.now() });
    posted += n;
  };

  beforeAll(async () => {
    mastodon = await MastodonImitation.start();
    clock = new TestClock(new Date());
    db = await createTestDatabase();
    t = await startTestApp(mastodonSource(mastodon.url, { pageSize: 5 }), { clock, env: { T_MASTODON: mastodon.accessToken }, db });
    w = workers(t);
    customer = mastodon.addAccount('joost');
    expect(await w.poll()).toBe('polled');
  });

  afterAll(async () => {
    await t?.close();
    await db?.stop();
    await mastodon?.stop();
  });

  const faults: [Fault, string][] = [
    ['500', 'TEMPORARY: GET /api/v1/notifications: HTTP 500'],
    ['timeout', 'TEMPORARY: GET /api/v1/notifications: timeout'],
    ['malformed', 'BAD_RESPONSE: GET /api/v1/notifications: the body is not JSON'],
  ];
  it.each(faults)('backs off after a %s, shows the source unhealthy, and recovers', async (fault, error) => {
    post(3);
    mastodon.failNext(fault, { pathPrefix: '/api/v1/notifications' });
    expect(await w.poll()).toBe('failed');
    const sick = await sourceHealth(t);
    expect(sick).toMatchObject({ healthy: false, backingOff: true, consecutiveFailures: 1 });
    expect(sick.lastError).toContain(error);
    expect(await w.poll()).toBe('backing-off');

    clock.advance(60_000);
    expect(await w.poll()).toBe('polled');
    expect(await sourceHealth(t)).toMatchObject({ healthy: true, backingOff: false, consecutiveFailures: 0 });
  });

  it('waits for the rate-limit reset after a 429', async () => {
    post(2);
    mastodon.failNext('429', { pathPrefix: '/api/v1/notifications', resetInMs: 5 * 60_000 });
    expect(await w.poll()).toBe('failed');
    const limited = await sourceHealth(t);
    expect(limited.lastError).toContain('RATE_LIMITED');
    // The imitation names its reset in wall-clock time, five minutes ahead.
    const reset = new Date(limited.backoffUntil).getTime();
    expect(reset - Date.now()).toBeGreaterThan(4.5 * 60_000);
    clock.set(new Date(reset - 60_000));
    expect(await w.poll()).toBe('backing-off');
    clock.set(new Date(reset + 1_000));
    expect(await w.poll()).toBe('polled');
  });

  it('stores every post exactly once after the faults, across pages', async () => {
    post(12); // more than two pages of five
    expect(await w.poll()).toBe('polled');
    expect(await countRows(t, `SELECT count(*) AS n FROM post`)).toBe(posted);
    expect(await countRows(t, `SELECT count(DISTINCT external_id) AS n FROM post`)).toBe(posted);
    expect(await countRows(t, `SELECT count(*) AS n FROM "case"`)).toBe(posted);
  });

  it('stores a post with a NUL character and a lone surrogate instead of blocking the page', async () => {
    mastodon.post(customer, '@acme broken\u0000 again \uD800 still waiting', { createdAt: clock.now() });
    post(1);
    expect(await w.poll()).toBe('polled');
    const [{ text }] = await t.app.get(DataSource).query(`SELECT text FROM post WHERE text LIKE '%broken%'`);
    expect(text).toBe('@acme broken again \uFFFD still waiting');
    posted += 1;
  });

  it('neither loses nor re-reads a post across a restart', async () => {
    // Close the app but keep its database, as a process restart would.
    await t.close();
    post(4);
    t = await startTestApp(mastodonSource(mastodon.url, { pageSize: 5 }), { clock, env: { T_MASTODON: mastodon.accessToken }, db });
    w = workers(t);
    expect(await w.poll()).toBe('polled');
    expect(await countRows(t, `SELECT count(*) AS n FROM post`)).toBe(posted);
    expect(await countRows(t, `SELECT count(DISTINCT external_id) AS n FROM post`)).toBe(posted);
  });

  it('obeys X-RateLimit-Remaining: a spent quota waits for the reset instead of earning a 429', async () => {
    const small = await MastodonImitation.start({ rateLimit: 3 });
    const db = await createTestDatabase();
    // Its own clock: the imitation's reset is wall-clock time, and the other tests moved theirs on.
    const app = await startTestApp(mastodonSource(small.url), { clock: new TestClock(new Date()), env: { T_MASTODON: small.accessToken }, db });
    try {
      const poll = () => workers(app).poll();
      expect(await poll()).toBe('polled'); // verify_credentials, notifications, tag timeline: 3 of 3
      expect(await poll()).toBe('backing-off');
      expect(small.requests.filter((r) => r.status === 429)).toHaveLength(0);
      const health = (await app.as('agent').get('/sources')).data[0];
      expect(health).toMatchObject({ healthy: true, rateLimitRemaining: 0 });
    } finally {
      await app.close();
      await db.stop();
      await small.stop();
    }
  });
});

describe('publishing a reply', () => {
  let mastodon: MastodonImitation;
  let t: TestApp;
  let clock: TestClock;

  beforeAll(async () => {
    mastodon = await MastodonImitation.start();
    clock = new TestClock(new Date());
    t = await startTestApp(mastodonSource(mastodon.url), { clock, env: { T_MASTODON: mastodon.accessToken } });
  });

  afterAll(async () => {
    await t?.close();
    await mastodon?.stop();
  });

  it('posts once when the platform took the reply but the answer was lost, and shows the failure on the case', async () => {
    const w = workers(t);
    const lena = mastodon.addAccount('lena');
    const complaint = mastodon.post(lena, '@acme my refund never arrived, still waiting', { createdAt: clock.now() });
    await w.poll();
    const [c] = (await t.as('agent').get('/cases')).data.items;
    await t.as('agent').post(`/cases/${c.id}/acknowledge`, {});

    // Mastodon creates the status, then the connection breaks before the answer arrives.
    mastodon.failNext('malformed', { pathPrefix: '/api/v1/statuses' });
    expect(await w.publish()).toBe(0);
    const failed = (await t.as('agent').get(`/cases/${c.id}/replies`)).data[0];
    expect(failed).toMatchObject({ status: 'queued', attempts: 1 });
    expect(failed.lastError).toContain('BAD_RESPONSE');
    const timeline = (await t.as('agent').get(`/cases/${c.id}`)).data.timeline;
    expect(timeline.find((e: { type: string }) => e.type === 'reply_failed').data).toMatchObject({ attempt: 1, code: 'BAD_RESPONSE' });

    expect(await w.publish()).toBe(0); // still backing off
    clock.advance(60_000);
    expect(await w.publish()).toBe(1);
    expect(mastodon.repliesTo(complaint.id)).toHaveLength(1);
    const keys = mastodon.requests.filter((r) => r.path === '/api/v1/statuses').map((r) => r.headers['idempotency-key']);
    expect(keys).toHaveLength(2);
    expect(new Set(keys).size).toBe(1);
    expect((await t.as('agent').get(`/cases/${c.id}`)).data.status).toBe('acknowledged');
  });

  it('gives up after the last attempt, keeps the reply, and can be retried', async () => {
    const w = workers(t);
    const kim = mastodon.addAccount('kim');
    const complaint = mastodon.post(kim, '@acme the app is broken again, cannot log in', { createdAt: clock.now() });
    await w.poll();
    const c = (await t.as('agent').get('/cases')).data.items.find((i: { customer: { handle: string } }) => i.customer.handle === '@kim');
    await t.as('agent').post(`/cases/${c.id}/acknowledge`, {});
    mastodon.failNext('500', { pathPrefix: '/api/v1/statuses', count: 8 });
    for (let attempt = 0; attempt < 8; attempt++) {
      await w.publish();
      clock.advance(16 * 60_000);
    }
    const [reply] = (await t.as('agent').get(`/cases/${c.id}/replies`)).data;
    expect(reply).toMatchObject({ status: 'failed', attempts: 8 });
    expect(mastodon.repliesTo(complaint.id)).toHaveLength(0);

    expect((await t.as('agent').post(`/replies/${reply.id}/retry`)).status).toBe(200);
    expect(await w.publish()).toBe(1);
    expect(mastodon.repliesTo(complaint.id)).toHaveLength(1);
  });
});
