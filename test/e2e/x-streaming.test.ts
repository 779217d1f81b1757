import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { DataSource } from 'typeorm';
import { SourcePoller } from '../../src/sources/source-poller.service.js';
import { eventually, queue } from '../support/flow.js';
import { startTestApp, type TestApp } from '../support/test-app.js';
import { type XAccount, XImitation, type XRuleJson, xSource } from '../support/x-imitation.js';

const STREAM = '/2/tweets/search/stream';
const RULES = '/2/tweets/search/stream/rules';
const KEYWORD = '"Acme Shop" -is:retweet';

describe('the X filtered stream', () => {
  let x: XImitation;
  let t: TestApp;
  let anna: XAccount;
  let lisa: XAccount;
  let tom: XAccount;
  let foreign: XRuleJson;
  let stale: XRuleJson;

  const caseOf = async (postId: string) => (await queue(t)).find((c) => c.post.externalId === postId);
  const storedTimes = async (postId: string) =>
    (await t.app.get(DataSource).query(`SELECT count(*)::int AS n FROM post WHERE platform = 'x' AND external_id = $1`, [postId]))[0].n;
  // Whether a read of the feeds (mentions, recent search) answered the post: then it did not
  // come by the stream alone.
  const readBack = (postId: string) => x.requests.some((r) => r.method === 'GET' && r.path !== STREAM && r.response?.text.includes(`"id":"${postId}"`));
  const streamConnections = () => x.requests.filter((r) => r.method === 'GET' && r.path === STREAM);

  beforeAll(async () => {
    x = await XImitation.start();
    anna = x.addAccount('anna', { name: 'Anna de Vries', followers: 120 });
    lisa = x.addAccount('lisa', { name: 'Lisa' });
    tom = x.addAccount('tom', { name: 'Tom Baker' });
    // Someone else's rule on the same app, and one a former config of this source left behind.
    foreign = x.addRule('kittens', 'cat pictures');
    stale = x.addRule('"Acme Old Name"', 'paradox:acme-x:search:"Acme Old Name"');
    // An hour between polls: whatever arrives sooner came by the stream.
    const file = xSource(x.url, { keywords: [KEYWORD], streaming: true, bearerTokenEnv: 'T_X_APP' }, { pollSeconds: 3600 });
    t = await startTestApp({ ...file, worker: { schedule: true, publishEveryMs: 60_000 } }, { env: { T_X: x.accessToken, T_X_APP: x.bearerToken } });
    await eventually('the stream opens', 5000, () => x.openStreams === 1);
    // Opening the stream has the mentions read from the cursor; once that read is done (a poll
    // after it reads nothing), only the stream brings posts in.
    const poller = t.app.get(SourcePoller);
    const mentionReads = () => x.requests.filter((r) => r.path === `/2/users/${x.brand.id}/mentions`).length;
    await eventually('the read on connecting', 5000, async () => {
      const opened = streamConnections()[0].at;
      const reads = mentionReads();
      if (!x.requests.some((r) => r.path === `/2/users/${x.brand.id}/mentions` && r.at >= opened)) return false;
      return (await poller.poll('acme-x')) === 'polled' && mentionReads() === reads;
    });
  });

  afterAll(async () => {
    await t?.close();
    await x?.stop();
  });

  it("keeps its own rules in sync with the config, tried with dry_run first, and leaves everyone else's alone", () => {
    expect(x.streamRules).toEqual([
      foreign,
      { id: expect.stringMatching(/^\d+$/), value: '@acme -is:retweet', tag: 'paradox:acme-x:mentions' },
      { id: expect.stringMatching(/^\d+$/), value: KEYWORD, tag: `paradox:acme-x:search:${KEYWORD}` },
    ]);
    const changes = x.requests.filter((r) => r.path === RULES);
    const wanted = [
      { value: '@acme -is:retweet', tag: 'paradox:acme-x:mentions' },
      { value: KEYWORD, tag: `paradox:acme-x:search:${KEYWORD}` },
    ];
    expect(changes.map((r) => [r.method, r.query, r.body, r.status])).toEqual([
      ['GET', { max_results: '1000' }, undefined, 200],
      ['POST', { dry_run: 'true' }, { add: wanted }, 201],
      ['POST', {}, { delete: { ids: [stale.id] } }, 200],
      ['POST', {}, { add: wanted }, 201],
    ]);
    // The stream and its rules go with the app's bearer token, never the brand's user token.
    for (const r of [...changes, ...streamConnections()]) expect(r.headers.authorization).toBe(`Bearer ${x.bearerToken}`);
    expect(streamConnections()[0].query).toEqual({
      'tweet.fields': 'author_id,conversation_id,created_at,lang,referenced_tweets',
      expansions: 'author_id',
      'user.fields': 'public_metrics',
    });
  });

  it('queues a mention within about a second, with an hour between polls and no request for it', async () => {
    const posted = Date.now();
    const complaint = x.post(anna, '@acme my parcel still has not arrived after three weeks and nobody answers');
    const item = await eventually('the case is queued', 3000, () => caseOf(complaint.id));
    expect(Date.now() - posted).toBeLessThan(2000);
    expect(item).toMatchObject({ status: 'open', platform: 'x', customer: { handle: '@anna', displayName: 'Anna de Vries' } });
    expect(item.post.url).toBe(`https://x.com/anna/status/${complaint.id}`);
    expect(readBack(complaint.id)).toBe(false);
  });

  it('takes in what a keyword rule matches, and no post that only another rule matched', async () => {
    const kittens = x.post(tom, 'kittens are the best, look at these');
    const complaint = x.post(lisa, 'Ordered from Acme Shop two weeks ago, the parcel never arrived and support ignores me. Terrible service');
    const posted = Date.now();
    await eventually('the keyword match is queued', 3000, () => caseOf(complaint.id));
    expect(Date.now() - posted).toBeLessThan(2000);
    expect(readBack(complaint.id)).toBe(false);
    // The stream carried both, in order; only the keyword match is the source's.
    const streamed = streamConnections()[0].response!.text;
    for (const post of [kittens, complaint]) expect(streamed).toContain(`"id":"${post.id}"`);
    expect(await storedTimes(kittens.id)).toBe(0);
    expect(await storedTimes(complaint.id)).toBe(1);
  });

  it('reconnects when the stream drops and takes in, once, the mention posted while it was down', async () => {
    const [earlier] = (await queue(t)).filter((c) => c.customer.handle === '@anna');
    x.dropStreams();
    const missed = x.post(anna, '@acme you charged me twice for order 4411 and I want a refund');
    await eventually('the stream reopens', 5000, () => x.openStreams === 1);
    expect(streamConnections()).toHaveLength(2);
    await eventually('the missed mention is queued', 3000, () => caseOf(missed.id));
    // It came by the read of the mentions from the stored cursor, which found the earlier,
    // streamed mention again as well.
    expect(readBack(missed.id)).toBe(true);
    expect(readBack(earlier.post.externalId)).toBe(true);

    const next = x.post(anna, '@acme the app keeps crashing when I try to pay, broken again');
    await eventually('the next mention is queued', 3000, () => caseOf(next.id));
    expect(readBack(next.id)).toBe(false);
    for (const id of [earlier.post.externalId, missed.id, next.id]) expect(await storedTimes(id)).toBe(1);
  });
});
