import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { DataSource } from 'typeorm';
import { REOPEN_PRIORITY } from '../../src/cases/case-rules.js';
import { queue, workers } from '../support/flow.js';
import { OpenApiContract, X_CONTRACTS, contractsAvailable } from '../support/openapi-contract.js';
import { TestClock } from '../support/test-clock.js';
import { startTestApp, type TestApp } from '../support/test-app.js';
import { type XAccount, XImitation, xSource } from '../support/x-imitation.js';

const DAY = 24 * 60 * 60_000;
const SOURCE = 'acme-x';
// The brand's name as customers write it, without tagging the account; retweets repeat a post.
const KEYWORD = '"Acme Shop" -is:retweet';

describe('the recovery flow on X', () => {
  let x: XImitation;
  let t: TestApp;
  let clock: TestClock;
  let anna: XAccount;
  let tom: XAccount;
  let w: ReturnType<typeof workers>;
  const poll = () => w.poll(SOURCE);

  beforeAll(async () => {
    x = await XImitation.start();
    clock = new TestClock(new Date());
    t = await startTestApp(xSource(x.url, { keywords: [KEYWORD] }), { clock, env: { T_X: x.accessToken } });
    w = workers(t);
    anna = x.addAccount('anna', { name: 'Anna de Vries', followers: 120 });
    tom = x.addAccount('tom', { name: 'Tom Baker' });
  });

  afterAll(async () => {
    await t?.close();
    await x?.stop();
  });

  it('finds a complaint mention, queues it, answers it on the thread, follows up and records the recovery', async () => {
    const complaint = x.post(anna, '@acme my parcel still has not arrived after three weeks & nobody answers my emails <sigh>', { createdAt: clock.now() });
    x.post(x.brand, 'Our spring sale at Acme Shop starts today, we read every post!');
    x.post(tom, 'Lovely sunny day in Utrecht');
    // A retweet repeats Anna's mention of @acme word for word: it is no complaint of Tom's.
    x.retweet(tom, complaint.id);

    expect(await poll()).toBe('polled');
    const [item, ...rest] = await queue(t);
    expect(rest).toHaveLength(0);
    expect(item).toMatchObject({ status: 'open', platform: 'x', customer: { handle: '@anna', displayName: 'Anna de Vries' }, post: { externalId: complaint.id } });
    // X escapes &, < and > in the text it serves; the case shows what Anna typed.
    expect(item.post.text).toBe('@acme my parcel still has not arrived after three weeks & nobody answers my emails <sigh>');
    expect(item.post.url).toBe(`https://x.com/anna/status/${complaint.id}`);
    expect(new Date(item.ackDueAt).getTime()).toBe(new Date(complaint.created_at).getTime() + 60 * 60_000);

    expect((await t.as('agent').post(`/cases/${item.id}/claim`)).data.claimedBy).toBe('alice');
    const draft = await t.as('agent').get(`/cases/${item.id}/draft`, { params: { kind: 'acknowledgement' } });
    expect(draft.data.text).toContain('Hi Anna');
    const text = `${draft.data.text} We'll check the parcel with the courier now.`;
    expect((await t.as('agent').post(`/cases/${item.id}/acknowledge`, { text })).status).toBe(201);

    expect(await w.publish()).toBe(1);
    const [reply, ...others] = x.repliesTo(complaint.id);
    expect(others).toHaveLength(0);
    expect(reply).toMatchObject({ author_id: x.brand.id, conversation_id: complaint.id, referenced_tweets: [{ type: 'replied_to', id: complaint.id }] });
    // X threads the reply and puts Anna's handle in front itself; Paradox sends the text alone.
    const sent = x.requests.find((r) => r.method === 'POST' && r.path === '/2/tweets')!;
    expect(sent.body).toEqual({ text, reply: { in_reply_to_tweet_id: complaint.id } });
    expect(sent.headers.authorization).toBe(`Bearer ${x.accessToken}`);
    expect(reply.text).toMatch(/^@anna Hi Anna/);
    expect((await t.as('agent').get(`/cases/${item.id}/replies`)).data[0]).toMatchObject({
      status: 'published',
      externalId: reply.id,
      externalUrl: `https://x.com/acme/status/${reply.id}`,
    });

    // The conversation as X shows it now: Anna's post with the brand's answer below.
    const thread = await t.as('approver').get(`/cases/${item.id}/thread`);
    expect(thread.status).toBe(200);
    expect(thread.data.posts.map((p: Record<string, unknown>) => [p.externalId, p.customer, p.stored])).toEqual([
      [complaint.id, true, true],
      [reply.id, false, false],
    ]);

    await t.as('agent').post(`/cases/${item.id}/resolve`, { note: 'Courier had the wrong house number; re-delivered today.', firstTimeFix: true });
    expect(await w.publish()).toBe(0); // the follow-up waits three days
    clock.advance(3 * DAY + 60_000);
    expect(await w.publish()).toBe(1);
    const followUp = x.repliesTo(complaint.id).find((r) => (r.text).includes('Is everything resolved'))!;
    expect(followUp).toMatchObject({ author_id: x.brand.id, conversation_id: complaint.id });
    expect((await t.as('agent').get(`/cases/${item.id}`)).data.status).toBe('follow_up_sent');

    // Anna answers on the thread; X puts @acme in front, so it is a mention of the brand.
    clock.advance(20 * 60_000); // Anna answers twenty minutes later
    const answer = x.post(anna, 'yes, all sorted now, thanks a lot!', { inReplyTo: followUp.id, createdAt: clock.now() });
    expect(answer.text).toBe('@acme yes, all sorted now, thanks a lot!');
    expect(await poll()).toBe('polled');
    const done = (await t.as('agent').get(`/cases/${item.id}`)).data;
    expect(done.status).toBe('recovered');
    expect(done.firstTimeFix).toMatchObject({ claimed: true, verdict: 'pending' });
    expect(done.timeline.map((e: { type: string }) => e.type)).toEqual([
      'post',
      'claimed',
      'reply_queued',
      'reply_published',
      'acknowledged',
      'resolved',
      'reply_queued',
      'follow_up_scheduled',
      'reply_published',
      'follow_up_sent',
      'post',
      'answer_received',
      'recovered',
    ]);
    expect(await queue(t)).toHaveLength(0);

    const thread2 = await t.as('agent').get(`/cases/${item.id}/thread`);
    expect(thread2.data.posts.map((p: { externalId: string }) => p.externalId)).toEqual([complaint.id, reply.id, followUp.id, answer.id]);
  });

  it('reopens the case at the top of the queue when the customer says it is not fixed', async () => {
    const first = x.post(tom, '@acme you charged me twice for order 4411 and I want a refund', { createdAt: clock.now() });
    await poll();
    const [c] = await queue(t);
    await t.as('agent2').post(`/cases/${c.id}/acknowledge`, {});
    await w.publish();
    await t.as('agent2').post(`/cases/${c.id}/resolve`, { note: 'Refund of the double charge issued.', firstTimeFix: true });
    clock.advance(3 * DAY + 60_000);
    await w.publish();
    const followUp = x.repliesTo(first.id).find((r) => (r.text).includes('Is everything resolved'))!;

    const sanne = x.addAccount('sanne');
    x.post(sanne, '@acme the app keeps crashing when I try to pay, broken again');
    x.post(tom, 'no, I am still waiting for the refund', { inReplyTo: followUp.id, createdAt: clock.now() });
    await poll();

    const items = await queue(t);
    expect(items.map((i) => i.customer.handle)).toEqual(['@tom', '@sanne']);
    expect(items[0]).toMatchObject({ id: c.id, status: 'open', priority: REOPEN_PRIORITY, reopenCount: 1, firstTimeFix: { claimed: true, verdict: 'no' } });
  });

  it('finds by keyword search a complaint that does not mention the brand, once, and never the brand its own posts', async () => {
    const lisa = x.addAccount('lisa', { name: 'Lisa' });
    const complaint = x.post(lisa, 'Ordered from Acme Shop two weeks ago, the parcel never arrived and support ignores me. Terrible service');
    x.retweet(tom, complaint.id);
    x.post(x.brand, 'Acme Shop is hiring! Join our care team.');
    expect(await poll()).toBe('polled');

    const found = (await queue(t)).filter((i) => i.customer.handle === '@lisa');
    expect(found).toHaveLength(1);
    expect(found[0].post.externalId).toBe(complaint.id);
    const search = x.requests.filter((r) => r.path === '/2/tweets/search/recent' && r.query.query === KEYWORD);
    expect(search.at(-1)?.query).toMatchObject({ sort_order: 'recency', since_id: expect.stringMatching(/^\d+$/) });

    const own = await t.app.get(DataSource).query(`SELECT count(*)::int AS n FROM post p JOIN author a ON a.id = p.author_id WHERE a.external_id = $1`, [x.brand.id]);
    expect(own[0].n).toBe(0);
    // The brand's own posts are in X's answers all the same: the poller leaves them out.
    expect(x.tweetsBy(x.brand).length).toBeGreaterThan(4);
  });

  it('sends every request the X contract allows', () => {
    if (!contractsAvailable(X_CONTRACTS)) return;
    const contract = OpenApiContract.load(join(X_CONTRACTS, 'openapi/x-api-v2.openapi.v2.159.json'));
    const checked = x.requests.filter((r) => r.path !== '/2/oauth2/token');
    expect(new Set(checked.map((r) => `${r.method} ${r.path.replace(/\/\d{4,}/g, '/:id')}`))).toEqual(
      new Set(['GET /2/users/me', 'GET /2/users/:id/mentions', 'GET /2/tweets/search/recent', 'POST /2/tweets', 'GET /2/tweets/:id']),
    );
    for (const r of checked) {
      expect({ request: `${r.method} ${r.path}`, errors: contract.requestErrors(r.method, r.path, r.query, r.body) }).toEqual({ request: `${r.method} ${r.path}`, errors: [] });
    }
  });
});
