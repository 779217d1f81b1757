import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { DataSource } from 'typeorm';
import { queue, workers } from '../support/flow.js';
import { REDDIT_SOURCE, type RedditFault, RedditImitation, type RedditUser, redditEnv, redditSource } from '../support/reddit-imitation.js';
import { TestClock } from '../support/test-clock.js';
import { startTestApp, type TestApp } from '../support/test-app.js';
import { createTestDatabase, type TestDatabase } from '../support/test-database.js';

const NEW = '/r/AcmeSupport/new';

async function health(t: TestApp) {
  return (await t.as('agent').get('/sources')).data.find((s: { id: string }) => s.id === REDDIT_SOURCE);
}

async function count(t: TestApp, sql: string): Promise<number> {
  const [{ n }] = await t.app.get(DataSource).query(sql);
  return Number(n);
}

describe('a failing Reddit source', () => {
  let reddit: RedditImitation;
  let t: TestApp;
  let clock: TestClock;
  let db: TestDatabase;
  let customer: RedditUser;
  let w: ReturnType<typeof workers>;
  let posted = 0;
  let newest: string;
  // Five a page, so a dozen posts take several.
  const config = () => redditSource(reddit, { pageSize: 5 });

  // Complaints in the watched subreddit, a second apart from the batch before.
  const post = (n: number) => {
    clock.advance(1000);
    for (let i = 0; i < n; i++) {
      const link = reddit.submit(customer, 'AcmeSupport', `Order ${posted + i} still not delivered`, 'Waiting for weeks and nobody answers my emails. Terrible service.');
      newest = (link.data as { name: string }).name;
    }
    posted += n;
  };

  beforeAll(async () => {
    clock = new TestClock(new Date());
    reddit = await RedditImitation.start({ now: () => clock.now() });
    db = await createTestDatabase();
    t = await startTestApp(config(), { clock, env: redditEnv(reddit), db });
    w = workers(t);
    customer = reddit.addUser('joost_b');
    expect(await w.poll(REDDIT_SOURCE)).toBe('polled');
  });

  afterAll(async () => {
    await t?.close();
    await db?.stop();
    await reddit?.stop();
  });

  const faults: [RedditFault, string][] = [
    ['500', `TEMPORARY: GET ${NEW}: HTTP 500`],
    ['timeout', `TEMPORARY: GET ${NEW}: timeout of 500ms exceeded`],
    ['malformed', `BAD_RESPONSE: GET ${NEW}: the body is not JSON`],
  ];
  it.each(faults)('backs off after a %s, shows the source unhealthy, and takes the posts in once it recovers', async (fault, error) => {
    post(3);
    reddit.failNext(fault, { pathPrefix: NEW });
    expect(await w.poll(REDDIT_SOURCE)).toBe('failed');
    const sick = await health(t);
    expect(sick).toMatchObject({ healthy: false, backingOff: true, consecutiveFailures: 1 });
    expect(sick.lastError).toBe(error);
    expect(await w.poll(REDDIT_SOURCE)).toBe('backing-off');

    clock.advance(60_000);
    expect(await w.poll(REDDIT_SOURCE)).toBe('polled');
    expect(await health(t)).toMatchObject({ healthy: true, backingOff: false, consecutiveFailures: 0 });
    expect(await count(t, 'SELECT count(*) AS n FROM post')).toBe(posted);
  });

  const dialects: [string, RedditFault, { retryAfter?: number; resetSeconds?: number }, number][] = [
    ["Reddit's HTML page, waiting what Retry-After says", '429-html', { retryAfter: 4 }, 4],
    ["Reddit's HTML page with the window's headers, reading the reset as seconds left", '429-html', { resetSeconds: 300 }, 300],
    ['the JSON form with the reset in seconds left', '429-json', { resetSeconds: 120 }, 120],
    ['the JSON form without a header, as recorded, waiting a minute', '429-json', {}, 60],
  ];
  it.each(dialects)('waits out a 429 in %s', async (_, fault, opts, seconds) => {
    post(2);
    reddit.failNext(fault, { pathPrefix: NEW, ...opts });
    expect(await w.poll(REDDIT_SOURCE)).toBe('failed');
    const limited = await health(t);
    expect(limited.lastError).toBe(`RATE_LIMITED: GET ${NEW}: HTTP 429`);
    expect(new Date(limited.backoffUntil).getTime() - clock.now().getTime()).toBe(seconds * 1000);
    clock.advance(seconds * 1000 - 1000);
    expect(await w.poll(REDDIT_SOURCE)).toBe('backing-off');
    clock.advance(1001);
    expect(await w.poll(REDDIT_SOURCE)).toBe('polled');
    expect(await count(t, 'SELECT count(*) AS n FROM post')).toBe(posted);
  });

  it('calls a 403 as recorded (a valid token, a page the account may not see) a bad answer, not expired credentials', async () => {
    reddit.failNext('403', { pathPrefix: NEW });
    expect(await w.poll(REDDIT_SOURCE)).toBe('failed');
    expect((await health(t)).lastError).toBe(`BAD_RESPONSE: GET ${NEW}: HTTP 403, the account may not read this`);
    clock.advance(60_000);
    expect(await w.poll(REDDIT_SOURCE)).toBe('polled');
  });

  it('stores every post exactly once across pages, each page with its own cursor', async () => {
    post(12);
    expect(await w.poll(REDDIT_SOURCE)).toBe('polled');
    expect(await count(t, 'SELECT count(*) AS n FROM post')).toBe(posted);
    expect(await count(t, 'SELECT count(DISTINCT external_id) AS n FROM post')).toBe(posted);
    expect(await count(t, 'SELECT count(*) AS n FROM "case"')).toBe(posted);
    // The later pages climbed from the stored cursor with `before`.
    expect(reddit.requests.filter((r) => r.path === NEW && r.query.before).length).toBeGreaterThanOrEqual(3);
  });

  it('neither loses nor doubles a post when the app restarts in the middle of a multi-page poll', async () => {
    post(17);
    // The newest page, then the first two pages above the cursor; the third read fails.
    reddit.failNext('500', { pathPrefix: NEW, skip: 3 });
    expect(await w.poll(REDDIT_SOURCE)).toBe('failed');
    expect(await count(t, 'SELECT count(*) AS n FROM post')).toBe(posted - 7);

    // Close the app but keep its database, as a process restart would.
    await t.close();
    t = await startTestApp(config(), { clock, env: redditEnv(reddit), db });
    w = workers(t);
    clock.advance(60_000);
    expect(await w.poll(REDDIT_SOURCE)).toBe('polled');
    expect(await count(t, 'SELECT count(*) AS n FROM post')).toBe(posted);
    expect(await count(t, 'SELECT count(DISTINCT external_id) AS n FROM post')).toBe(posted);
  });

  it("reads back by time when the post its cursor names was deleted, as Reddit's `before` then answers nothing", async () => {
    const anchor = newest;
    reddit.delete(anchor);
    post(12);
    const from = reddit.requests.length;
    expect(await w.poll(REDDIT_SOURCE)).toBe('polled');
    expect(await count(t, 'SELECT count(*) AS n FROM post')).toBe(posted);
    expect(await count(t, 'SELECT count(DISTINCT external_id) AS n FROM post')).toBe(posted);
    const reads = reddit.requests.slice(from).filter((r) => r.path === NEW);
    expect(reads.some((r) => r.query.before === anchor)).toBe(true);
    expect(reads.filter((r) => r.query.after).length).toBeGreaterThanOrEqual(2);
  });

  it('obeys X-Ratelimit-Remaining: a spent quota ("0.0") waits for the reset instead of earning a 429', async () => {
    const small = await RedditImitation.start({ rateLimit: 5 });
    const smallDb = await createTestDatabase();
    const smallClock = new TestClock(new Date());
    const app = await startTestApp(redditSource(small), { clock: smallClock, env: redditEnv(small), db: smallDb });
    try {
      const poll = () => workers(app).poll(REDDIT_SOURCE);
      expect(await poll()).toBe('polled'); // /api/v1/me and four feeds: 5 of 5
      expect(small.requests.at(-1)?.status).toBe(200);
      expect(await poll()).toBe('backing-off');
      expect(small.requests.filter((r) => r.status === 429)).toHaveLength(0);
      const state = await health(app);
      expect(state).toMatchObject({ healthy: true, rateLimitRemaining: 0 });
      // The reset is the seconds left in Reddit's ten-minute window, counted from now.
      const resetIn = new Date(state.rateLimitResetAt).getTime() - smallClock.now().getTime();
      expect(resetIn).toBeGreaterThan(0);
      expect(resetIn).toBeLessThanOrEqual(600_000);
      expect(state.backoffUntil).toBe(state.rateLimitResetAt);
    } finally {
      await app.close();
      await smallDb.stop();
      await small.stop();
    }
  });
});

describe('Reddit credentials', () => {
  let reddit: RedditImitation;
  let t: TestApp;
  let clock: TestClock;
  let w: ReturnType<typeof workers>;
  const grants = () => reddit.requests.filter((r) => r.path === '/api/v1/access_token').length;

  beforeAll(async () => {
    clock = new TestClock(new Date());
    reddit = await RedditImitation.start({ now: () => clock.now() });
    t = await startTestApp(redditSource(reddit), { clock, env: redditEnv(reddit) });
    w = workers(t);
    expect(await w.poll(REDDIT_SOURCE)).toBe('polled');
  });

  afterAll(async () => {
    await t?.close();
    await reddit?.stop();
  });

  it('asks for a token with the password grant, HTTP Basic and its User-Agent, and sends it as a bearer token', () => {
    const [grant] = reddit.requests.filter((r) => r.path === '/api/v1/access_token');
    expect(grant.method).toBe('POST');
    expect(grant.body).toEqual({ grant_type: 'password', username: reddit.brand.name, password: reddit.password });
    expect(grant.headers.authorization).toBe(`Basic ${Buffer.from(`${reddit.clientId}:${reddit.clientSecret}`).toString('base64')}`);
    for (const r of reddit.requests) expect(r.headers['user-agent']).toBe(`test:paradox:0.1.0 (by /u/${reddit.brand.name})`);
    for (const r of reddit.requests.filter((q) => q.path !== '/api/v1/access_token')) expect(r.headers.authorization).toBe(`bearer ${reddit.issuedTokens[0]}`);
  });

  it('renews the token a minute before it expires, without a 401', async () => {
    const before = grants();
    clock.advance(59 * 60_000 + 1000);
    expect(await w.poll(REDDIT_SOURCE)).toBe('polled');
    expect(grants()).toBe(before + 1);
    expect(reddit.requests.filter((r) => r.status === 401)).toHaveLength(0);
    expect(reddit.requests.at(-1)?.headers.authorization).toBe(`bearer ${reddit.issuedTokens.at(-1)}`);
  });

  it('renews the token once when Reddit refuses it early, and asks again', async () => {
    const before = grants();
    const old = reddit.issuedTokens.at(-1);
    reddit.expireTokens();
    const from = reddit.requests.length;
    expect(await w.poll(REDDIT_SOURCE)).toBe('polled');
    expect(grants()).toBe(before + 1);
    const refused = reddit.requests.slice(from).filter((r) => r.status === 401);
    // The feeds are read at once: each was refused with the old token, and one renewal served all.
    expect(refused.length).toBeGreaterThan(0);
    expect(refused.every((r) => r.headers.authorization === `bearer ${old}`)).toBe(true);
    expect(await health(t)).toMatchObject({ healthy: true });
  });

  it('gives up with AUTH_EXPIRED when a fresh token is refused as well', async () => {
    reddit.failNext('401', { count: 20 });
    expect(await w.poll(REDDIT_SOURCE)).toBe('failed');
    const state = await health(t);
    expect(state.lastError).toMatch(/^AUTH_EXPIRED: GET .+: HTTP 401 with a fresh token$/);
    expect(state.alerts).toEqual([expect.objectContaining({ code: 'AUTH_EXPIRED' })]);
  });

  it.each([
    ['a wrong password (Reddit answers 200 with invalid_grant)', { password: 'not-the-password' }, 'AUTH_EXPIRED: POST /api/v1/access_token: Reddit refused the grant (invalid_grant)'],
    ['a wrong client secret (HTTP 401)', { clientSecret: 'not-the-secret' }, "AUTH_EXPIRED: POST /api/v1/access_token: Reddit refused the app's client id or secret (HTTP 401)"],
  ])('shows an AUTH_EXPIRED alert on GET /sources for %s, and logs no secret', async (_, wrong, error) => {
    const refused = await startTestApp(redditSource(reddit), { env: redditEnv(reddit, wrong) });
    try {
      expect(await workers(refused).poll(REDDIT_SOURCE)).toBe('failed');
      const state = await health(refused);
      expect(state).toMatchObject({ healthy: false, lastError: error });
      expect(state.alerts).toEqual([expect.objectContaining({ code: 'AUTH_EXPIRED' })]);
      expect(JSON.stringify(state)).not.toContain(Object.values(wrong)[0]);
    } finally {
      await refused.close();
    }
  });
});

describe('publishing a reply on Reddit', () => {
  let reddit: RedditImitation;
  let t: TestApp;
  let clock: TestClock;
  let w: ReturnType<typeof workers>;
  let n = 0;
  const posts = () => reddit.requests.filter((r) => r.method === 'POST' && r.path === '/api/comment');
  const lookups = () => reddit.requests.filter((r) => r.path === `/user/${reddit.brand.name}/comments`);

  // A complaint, its case acknowledged and the acknowledgement waiting in the outbox.
  async function acknowledged(): Promise<{ caseId: string; complaint: string }> {
    const customer = reddit.addUser(`lena_${++n}`);
    const link = reddit.submit(customer, 'AcmeSupport', 'Refund never arrived', 'My refund never arrived, still waiting after a month. Terrible.');
    const complaint = (link.data as { name: string }).name;
    await w.poll(REDDIT_SOURCE);
    const c = (await queue(t)).find((i) => i.post.externalId === complaint)!;
    await t.as('agent').post(`/cases/${c.id}/acknowledge`, {});
    return { caseId: c.id, complaint };
  }

  beforeAll(async () => {
    clock = new TestClock(new Date());
    reddit = await RedditImitation.start({ now: () => clock.now() });
    t = await startTestApp(redditSource(reddit), { clock, env: redditEnv(reddit) });
    w = workers(t);
  });

  afterAll(async () => {
    await t?.close();
    await reddit?.stop();
  });

  it("posts once when Reddit took the comment but the answer was lost: the next attempt finds it among the brand's comments", async () => {
    const { caseId, complaint } = await acknowledged();
    reddit.failNext('drop-response', { pathPrefix: '/api/comment' });
    expect(await w.publish()).toBe(0);
    const [failed] = (await t.as('agent').get(`/cases/${caseId}/replies`)).data;
    expect(failed).toMatchObject({ status: 'queued', attempts: 1 });
    expect(failed.lastError).toMatch(/^TEMPORARY: POST \/api\/comment: /);
    expect(reddit.repliesTo(complaint)).toHaveLength(1);

    clock.advance(60_000);
    expect(await w.publish()).toBe(1);
    const [comment] = reddit.repliesTo(complaint);
    expect(reddit.repliesTo(complaint)).toHaveLength(1);
    expect(posts()).toHaveLength(1);
    expect(lookups()).toHaveLength(1);
    expect(lookups()[0].query).toMatchObject({ sort: 'new' });
    const [reply] = (await t.as('agent').get(`/cases/${caseId}/replies`)).data;
    expect(reply).toMatchObject({ status: 'published', attempts: 2, externalId: (comment.data as { name: string }).name });
    expect((await t.as('agent').get(`/cases/${caseId}`)).data.status).toBe('acknowledged');
  });

  it('posts on the next attempt when the first never reached Reddit', async () => {
    const { complaint } = await acknowledged();
    const before = posts().length;
    reddit.failNext('timeout', { pathPrefix: '/api/comment' });
    expect(await w.publish()).toBe(0);
    expect(reddit.repliesTo(complaint)).toHaveLength(0);
    clock.advance(60_000);
    expect(await w.publish()).toBe(1);
    expect(reddit.repliesTo(complaint)).toHaveLength(1);
    expect(posts().length - before).toBe(2);
  });

  it('waits as long as Reddit says when the account may not comment yet', async () => {
    const { caseId, complaint } = await acknowledged();
    reddit.failNext('comment-ratelimit', { pathPrefix: '/api/comment' });
    expect(await w.publish()).toBe(0);
    const [limited] = (await t.as('agent').get(`/cases/${caseId}/replies`)).data;
    expect(limited.lastError).toBe('RATE_LIMITED: POST /api/comment: you are doing that too much. try again in 9 minutes.');
    expect(new Date(limited.leaseUntil).getTime() - clock.now().getTime()).toBe(540_000);
    clock.advance(539_000);
    expect(await w.publish()).toBe(0);
    clock.advance(2000);
    expect(await w.publish()).toBe(1);
    expect(reddit.repliesTo(complaint)).toHaveLength(1);
  });
});
