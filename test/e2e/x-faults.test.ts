import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { DataSource } from 'typeorm';
import { workers } from '../support/flow.js';
import { TestClock } from '../support/test-clock.js';
import { startTestApp, type TestApp } from '../support/test-app.js';
import { createTestDatabase, type TestDatabase } from '../support/test-database.js';
import { type XAccount, type XFault, XImitation, xSource } from '../support/x-imitation.js';

const SOURCE = 'acme-x';
const MINUTE = 60_000;
// The poller's lease: a poll cut short by a crash holds its source this long.
const LEASE_MS = 2 * MINUTE;

const complaints = (n: number, from: number) => Array.from({ length: n }, (_, i) => `@acme order ${from + i} still not delivered, waiting for weeks`);

async function sourceHealth(t: TestApp) {
  const response = await t.as('agent').get('/sources');
  return response.data.find((s: { id: string }) => s.id === SOURCE);
}

async function count(t: TestApp, sql: string): Promise<number> {
  const [{ n }] = await t.app.get(DataSource).query(sql);
  return Number(n);
}

async function until(what: string, condition: () => Promise<boolean> | boolean, timeoutMs = 10_000): Promise<void> {
  const started = Date.now();
  while (!(await condition())) {
    if (Date.now() - started > timeoutMs) throw new Error(`gave up waiting for ${what}`);
    await sleep(20);
  }
}

describe('a failing X source', () => {
  let x: XImitation;
  let t: TestApp;
  let clock: TestClock;
  let db: TestDatabase;
  let joost: XAccount;
  let w: ReturnType<typeof workers>;
  let posted = 0;
  const poll = () => w.poll(SOURCE);
  const start = () => startTestApp(xSource(x.url, { pageSize: 10 }), { clock, env: { T_X: x.accessToken }, db });
  const mentionsPath = () => `/2/users/${x.brand.id}/mentions`;

  const post = (n: number) => {
    for (const text of complaints(n, posted)) x.post(joost, text, { createdAt: clock.now() });
    posted += n;
  };
  const everyPostOnce = async () => {
    expect(await count(t, 'SELECT count(*) AS n FROM post')).toBe(posted);
    expect(await count(t, 'SELECT count(DISTINCT external_id) AS n FROM post')).toBe(posted);
    expect(await count(t, 'SELECT count(*) AS n FROM "case"')).toBe(posted);
  };

  beforeAll(async () => {
    x = await XImitation.start();
    clock = new TestClock(new Date());
    db = await createTestDatabase();
    joost = x.addAccount('joost');
    t = await start();
    w = workers(t);
    // The first poll starts the cursor at the newest post; everything after it is read in full.
    post(1);
    expect(await poll()).toBe('polled');
  });

  afterAll(async () => {
    await t?.close();
    await db?.stop();
    await x?.stop();
  });

  const faults: [XFault, string][] = [
    ['500', 'TEMPORARY: GET /2/users/1000000/mentions: HTTP 500'],
    ['503', 'TEMPORARY: GET /2/users/1000000/mentions: HTTP 503'],
    ['timeout', 'TEMPORARY: GET /2/users/1000000/mentions: timeout of 500ms exceeded'],
    ['malformed', 'BAD_RESPONSE: GET /2/users/1000000/mentions: the body is not a JSON object'],
    ['shapeless', 'BAD_RESPONSE: GET /2/users/1000000/mentions: the answer has no meta.result_count'],
  ];
  it.each(faults)('backs off after a %s, shows the source unhealthy, and recovers', async (fault, error) => {
    post(3);
    x.failNext(fault, { path: mentionsPath() });
    expect(await poll()).toBe('failed');
    const sick = await sourceHealth(t);
    expect(sick).toMatchObject({ healthy: false, backingOff: true, consecutiveFailures: 1, lastError: error });
    expect(await poll()).toBe('backing-off');

    clock.advance(MINUTE);
    expect(await poll()).toBe('polled');
    expect(await sourceHealth(t)).toMatchObject({ healthy: true, backingOff: false, consecutiveFailures: 0 });
    await everyPostOnce();
  });

  it('waits for the reset X names in epoch seconds after a 429', async () => {
    post(2);
    // A whole window ahead: this test's clock has run some minutes ahead of the wall clock.
    x.failNext('429', { path: mentionsPath(), resetInSeconds: 900 });
    expect(await poll()).toBe('failed');
    const limited = await sourceHealth(t);
    expect(limited).toMatchObject({ healthy: false, backingOff: true });
    expect(limited.lastError).toBe('RATE_LIMITED: GET /2/users/1000000/mentions: HTTP 429');
    const answer = x.requests.findLast((r) => r.status === 429)!;
    expect(answer.response?.text).toBe('Rate limit exceeded\n');
    const reset = Number(answer.response?.headers['x-rate-limit-reset']) * 1000;
    expect(new Date(limited.backoffUntil).getTime()).toBe(reset);
    expect(reset - Date.now()).toBeGreaterThan(14 * MINUTE);

    clock.set(new Date(reset - MINUTE));
    expect(await poll()).toBe('backing-off');
    clock.set(new Date(reset + 1000));
    expect(await poll()).toBe('polled');
    await everyPostOnce();
  });

  it('reads every page back to since_id in one poll, and moves the cursor only at the end', async () => {
    post(23); // three pages of ten
    const before = x.requests.length;
    expect(await poll()).toBe('polled');
    const pages = x.requests.slice(before).filter((r) => r.path === mentionsPath());
    expect(pages.map((r) => [r.query.max_results, !!r.query.since_id, !!r.query.pagination_token])).toEqual([
      ['10', true, false],
      ['10', true, true],
      ['10', true, true],
    ]);
    expect(new Set(pages.map((r) => r.query.since_id)).size).toBe(1);
    await everyPostOnce();
  });

  it('goes on where it stopped when the app stops in the middle of a walk, and stores every post once', async () => {
    post(25);
    const stored = posted - 25;
    // Page 1 is answered; the request for page 2 hangs, and the app is stopped meanwhile.
    x.failNext('timeout', { path: mentionsPath(), after: 1 });
    const polling = poll().catch((error: Error) => error);
    await until('page 1 stored', async () => (await count(t, 'SELECT count(*) AS n FROM post')) === stored + 10);
    const [{ cursor }] = await t.app.get(DataSource).query(`SELECT cursor FROM source_state WHERE source_id = $1`, [SOURCE]);
    expect(Object.keys(cursor).sort()).toEqual(['mentions', 'mentions.next', 'mentions.top']);
    await t.close();
    await polling;

    post(3); // while Paradox is down
    t = await start();
    w = workers(t);
    // The stopped poll's lease holds the source until it runs out.
    expect(await poll()).toBe('busy');
    clock.advance(LEASE_MS + 1000);
    const restarted = x.requests.length;
    expect(await poll()).toBe('polled');
    const resumed = x.requests.slice(restarted).find((r) => r.path === mentionsPath())!;
    expect(resumed.query).toMatchObject({ since_id: cursor.mentions, pagination_token: cursor['mentions.next'] });
    expect(await count(t, 'SELECT count(*) AS n FROM post')).toBe(stored + 25);

    expect(await poll()).toBe('polled'); // the three posted while it was down
    await everyPostOnce();
  });

  it('answers a refused access token without a refresh token configured with AUTH_EXPIRED', async () => {
    x.failNext('401', { path: mentionsPath() });
    expect(await poll()).toBe('failed');
    const health = await sourceHealth(t);
    expect(health.lastError).toBe('AUTH_EXPIRED: GET /2/users/1000000/mentions: HTTP 401: X refused the access token');
    expect(health.alerts.map((a: { code: string }) => a.code)).toEqual(['AUTH_EXPIRED']);
    clock.advance(15 * MINUTE + 1000);
    expect(await poll()).toBe('polled');
    expect((await sourceHealth(t)).alerts).toEqual([]);
  });

  it('waits for the reset when the quota is spent instead of earning a 429', async () => {
    const tight = await XImitation.start({ limits: { mentions: 2 } });
    const tightDb = await createTestDatabase();
    // Its own clock: the imitation's reset is wall-clock time, and the other tests moved theirs on.
    const app = await startTestApp(xSource(tight.url), { clock: new TestClock(new Date()), env: { T_X: tight.accessToken }, db: tightDb });
    try {
      const tightPoll = () => workers(app).poll(SOURCE);
      expect(await tightPoll()).toBe('polled'); // 1 of 2 mentions requests
      expect(await tightPoll()).toBe('polled'); // 2 of 2: remaining 0
      expect(await tightPoll()).toBe('backing-off');
      expect(tight.requests.filter((r) => r.status === 429)).toHaveLength(0);
      const health = (await app.as('agent').get('/sources')).data[0];
      expect(health).toMatchObject({ healthy: true, backingOff: true, rateLimitRemaining: 0 });
      const reset = Number(tight.requests.at(-1)!.response!.headers['x-rate-limit-reset']) * 1000;
      expect(new Date(health.backoffUntil).getTime()).toBe(reset);
    } finally {
      await app.close();
      await tightDb.stop();
      await tight.stop();
    }
  });
});

describe('publishing a reply on X', () => {
  let x: XImitation;
  let t: TestApp;
  let clock: TestClock;
  let w: ReturnType<typeof workers>;

  beforeAll(async () => {
    x = await XImitation.start();
    clock = new TestClock(new Date());
    t = await startTestApp(xSource(x.url), { clock, env: { T_X: x.accessToken } });
    w = workers(t);
  });

  afterAll(async () => {
    await t?.close();
    await x?.stop();
  });

  async function acknowledged(username: string, text: string) {
    const customer = x.addAccount(username);
    const complaint = x.post(customer, text, { createdAt: clock.now() });
    expect(await w.poll(SOURCE)).toBe('polled');
    const c = (await t.as('agent').get('/cases')).data.items.find((i: { customer: { handle: string } }) => i.customer.handle === `@${username}`);
    expect((await t.as('agent').post(`/cases/${c.id}/acknowledge`, {})).status).toBe(201);
    return { c, complaint: complaint.id };
  }

  const creates = () => x.requests.filter((r) => r.method === 'POST' && r.path === '/2/tweets');
  const lookups = () => x.requests.filter((r) => r.path === `/2/users/${x.brand.id}/tweets`);

  it('does not post twice when X made the reply but the answer never came', async () => {
    const { c, complaint } = await acknowledged('lena', '@acme my refund never arrived, still waiting');
    x.failNext('drop', { path: '/2/tweets', method: 'POST' });
    expect(await w.publish()).toBe(0);
    const [made] = x.repliesTo(complaint);
    expect(made).toBeDefined();
    const failed = (await t.as('agent').get(`/cases/${c.id}/replies`)).data[0];
    expect(failed).toMatchObject({ status: 'queued', attempts: 1 });
    expect(failed.lastError).toBe('TEMPORARY: POST /2/tweets: timeout of 500ms exceeded');

    clock.advance(MINUTE);
    expect(await w.publish()).toBe(1);
    expect(x.repliesTo(complaint).map((r) => r.id)).toEqual([made.id]);
    expect(creates()).toHaveLength(1);
    expect(lookups()).toHaveLength(1);
    expect(lookups()[0].query).toMatchObject({ max_results: '100', exclude: 'retweets' });
    const [reply] = (await t.as('agent').get(`/cases/${c.id}/replies`)).data;
    expect(reply).toMatchObject({ status: 'published', attempts: 2, externalId: made.id });
    expect((await t.as('agent').get(`/cases/${c.id}`)).data.status).toBe('acknowledged');
  });

  it('posts on the next attempt when the first never reached X', async () => {
    const { c, complaint } = await acknowledged('kim', '@acme the app is broken again, cannot log in');
    const before = { creates: creates().length, lookups: lookups().length };
    x.failNext('503', { path: '/2/tweets', method: 'POST' });
    expect(await w.publish()).toBe(0);
    expect(x.repliesTo(complaint)).toHaveLength(0);
    clock.advance(MINUTE);
    expect(await w.publish()).toBe(1);
    const [made, ...more] = x.repliesTo(complaint);
    expect(more).toHaveLength(0);
    expect(creates()).toHaveLength(before.creates + 2);
    expect(lookups()).toHaveLength(before.lookups + 1);
    expect((await t.as('agent').get(`/cases/${c.id}/replies`)).data[0]).toMatchObject({ status: 'published', externalId: made.id });
  });

  it('refuses a reply longer than X takes, counting as X does', async () => {
    const mei = x.addAccount('mei');
    x.post(mei, '@acme my parcel is broken again and nobody answers, terrible service', { createdAt: clock.now() });
    await w.poll(SOURCE);
    const c = (await t.as('agent').get('/cases')).data.items.find((i: { customer: { handle: string } }) => i.customer.handle === '@mei');
    // 150 CJK characters are 150 code points, but X weighs them 300.
    const refused = await t.as('agent').post(`/cases/${c.id}/acknowledge`, { text: 'お'.repeat(150) });
    expect(refused.status).toBe(400);
    expect(refused.data).toMatchObject({ code: 'REPLY.TOO_LONG', message: 'text: 300 characters, the channel allows 280' });
    expect((await t.as('agent').post(`/cases/${c.id}/acknowledge`, { text: `${'a'.repeat(270)} sorry!!!` })).status).toBe(201);
    expect(await w.publish()).toBe(1);
  });
});

describe('the X access token', () => {
  let x: XImitation;
  let t: TestApp;
  let clock: TestClock;
  let db: TestDatabase;
  let w: ReturnType<typeof workers>;
  const env = () => ({ T_X: x.accessToken, T_X_REFRESH: 'refresh-0', T_X_CLIENT: 'paradox-app', T_X_SECRET: 'app-secret' });
  const start = () =>
    startTestApp(xSource(x.url, { refreshTokenEnv: 'T_X_REFRESH', clientIdEnv: 'T_X_CLIENT', clientSecretEnv: 'T_X_SECRET' }), { clock, env: env(), db });
  const tokenRequests = () => x.requests.filter((r) => r.path === '/2/oauth2/token');
  const stored = async () => (await t.app.get(DataSource).query(`SELECT credentials FROM source_state WHERE source_id = $1`, [SOURCE]))[0].credentials;

  beforeAll(async () => {
    x = await XImitation.start({ refreshToken: 'refresh-0', clientId: 'paradox-app', clientSecret: 'app-secret' });
    clock = new TestClock(new Date());
    db = await createTestDatabase();
    t = await start();
    w = workers(t);
    expect(await w.poll(SOURCE)).toBe('polled');
  });

  afterAll(async () => {
    await t?.close();
    await db?.stop();
    await x?.stop();
  });

  it('renews an expired access token, keeps the rotated refresh token, and goes on with it after a restart', async () => {
    x.expireAccessTokens();
    const before = x.requests.length;
    expect(await w.poll(SOURCE)).toBe('polled');
    expect(x.requests.slice(before).map((r) => `${r.status} ${r.method} ${r.path}`)).toEqual([
      `401 GET /2/users/${x.brand.id}/mentions`,
      '200 POST /2/oauth2/token',
      `200 GET /2/users/${x.brand.id}/mentions`,
    ]);
    const [renewal] = tokenRequests();
    expect(renewal.body).toEqual({ grant_type: 'refresh_token', refresh_token: 'refresh-0' });
    expect(renewal.headers.authorization).toBe(`Basic ${Buffer.from('paradox-app:app-secret').toString('base64')}`);
    const rotated = x.refreshToken!;
    expect(rotated).not.toBe('refresh-0');
    expect(await stored()).toMatchObject({ refreshToken: rotated });
    expect(await sourceHealth(t)).toMatchObject({ healthy: true });
    expect(JSON.stringify((await t.as('manager').get('/sources')).data)).not.toContain(rotated);

    // A restart with the same environment: refresh-0 is spent, the stored token is not.
    await t.close();
    x.expireAccessTokens();
    t = await start();
    w = workers(t);
    expect(await w.poll(SOURCE)).toBe('polled');
    expect(tokenRequests().map((r) => [r.status, (r.body as Record<string, string>).refresh_token])).toEqual([
      [200, 'refresh-0'],
      [200, rotated],
    ]);
    expect(await stored()).toMatchObject({ refreshToken: x.refreshToken });
  });

  it('renews the access token before it runs out, once X has said when', async () => {
    clock.advance(2 * 60 * MINUTE - 4 * MINUTE); // X gives two hours; Paradox renews five minutes early
    const before = x.requests.length;
    expect(await w.poll(SOURCE)).toBe('polled');
    expect(x.requests.slice(before).map((r) => `${r.status} ${r.method} ${r.path}`)).toEqual(['200 POST /2/oauth2/token', `200 GET /2/users/${x.brand.id}/mentions`]);
  });

  it('shows AUTH_EXPIRED on GET /sources when X refuses the refresh token', async () => {
    x.refuseRefresh();
    x.expireAccessTokens();
    expect(await w.poll(SOURCE)).toBe('failed');
    const health = await sourceHealth(t);
    expect(health).toMatchObject({ healthy: false, backingOff: true });
    expect(health.lastError).toBe('AUTH_EXPIRED: POST /2/oauth2/token: HTTP 400: X refused the refresh token (invalid_request)');
    expect(health.alerts).toEqual([expect.objectContaining({ code: 'AUTH_EXPIRED' })]);
    const shown = JSON.stringify(health);
    for (const secret of ['refresh-0', 'app-secret', x.refreshToken!, x.accessToken]) expect(shown).not.toContain(secret);
    expect(await w.poll(SOURCE)).toBe('backing-off');
  });
});
