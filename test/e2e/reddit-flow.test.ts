import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { DataSource } from 'typeorm';
import { REOPEN_PRIORITY } from '../../src/cases/case-rules.js';
import { queue, workers } from '../support/flow.js';
import { REDDIT_SOURCE, RedditImitation, type RedditUser, redditEnv, redditSource } from '../support/reddit-imitation.js';
import { TestClock } from '../support/test-clock.js';
import { startTestApp, type TestApp } from '../support/test-app.js';

const DAY = 24 * 60 * 60_000;

describe('the recovery flow on Reddit', () => {
  let reddit: RedditImitation;
  let t: TestApp;
  let clock: TestClock;
  let anna: RedditUser;
  let tom: RedditUser;
  let w: ReturnType<typeof workers>;

  const stored = async (externalId: string) => (await t.app.get(DataSource).query('SELECT count(*)::int AS n FROM post WHERE external_id = $1', [externalId]))[0].n;
  const caseOf = async (id: string) => (await t.as('agent').get(`/cases/${id}`)).data;
  const name = (thing: Record<string, unknown>) => (thing.data as { name: string }).name;
  const body = (thing: Record<string, unknown>) => (thing.data as { body: string }).body;
  const commentPosts = () => reddit.requests.filter((r) => r.method === 'POST' && r.path === '/api/comment');

  beforeAll(async () => {
    clock = new TestClock(new Date());
    reddit = await RedditImitation.start({ now: () => clock.now() });
    t = await startTestApp(redditSource(reddit), { clock, env: redditEnv(reddit) });
    w = workers(t);
    anna = reddit.addUser('anna_k');
    tom = reddit.addUser('tom_b');
  });

  afterAll(async () => {
    await t?.close();
    await reddit?.stop();
  });

  it('opens a case for a complaint in a watched subreddit, acknowledges it with a comment on the post, follows up and records the recovery', async () => {
    const complaint = reddit.submit(anna, 'AcmeSupport', 'Charger broke after two days', 'My charger stopped working and nobody answers my emails. Really disappointed, I want a refund.');
    reddit.submit(tom, 'AcmeSupport', 'Which case fits the new model?', 'Looking for a nice blue one.');

    expect(await w.poll(REDDIT_SOURCE)).toBe('polled');
    const [item, ...rest] = await queue(t);
    expect(rest).toHaveLength(0);
    expect(item).toMatchObject({ status: 'open', platform: 'reddit', customer: { handle: 'u/anna_k' }, post: { externalId: name(complaint) } });

    await t.as('agent').post(`/cases/${item.id}/claim`);
    const ack = await t.as('agent').post(`/cases/${item.id}/acknowledge`, {});
    expect(ack.status).toBe(201);
    expect(await w.publish()).toBe(1);
    const [reply, ...others] = reddit.repliesTo(name(complaint));
    expect(others).toHaveLength(0);
    expect(reply.data).toMatchObject({ author: reddit.brand.name, parent_id: name(complaint), body: ack.data.text });
    expect(commentPosts().at(-1)!.body).toEqual({ thing_id: name(complaint), text: ack.data.text, api_type: 'json' });
    expect((await caseOf(item.id)).status).toBe('acknowledged');

    // The conversation as Reddit shows it: the post, and the brand's comment below it.
    const thread = await t.as('approver').get(`/cases/${item.id}/thread`);
    expect(thread.status).toBe(200);
    expect(thread.data.posts.map((p: Record<string, unknown>) => [p.externalId, p.customer, p.stored])).toEqual([
      [name(complaint), true, true],
      [name(reply), false, false],
    ]);

    const resolved = await t.as('agent').post(`/cases/${item.id}/resolve`, { note: 'Sent a new charger by express.', firstTimeFix: true });
    expect(resolved.data.case.status).toBe('resolved');
    expect(await w.publish()).toBe(0); // the follow-up waits three days

    clock.advance(3 * DAY + 60_000);
    expect(await w.publish()).toBe(1);
    const followUp = reddit.repliesTo(name(complaint)).find((c) => body(c).includes('Is everything resolved'))!;
    expect(followUp).toBeDefined();
    expect((await caseOf(item.id)).status).toBe('follow_up_sent');

    clock.advance(20 * 60_000);
    const answer = reddit.comment(anna, name(followUp), 'Yes, the new charger works great, thanks a lot!');
    expect(await w.poll(REDDIT_SOURCE)).toBe('polled');
    const done = await caseOf(item.id);
    expect(done.status).toBe('recovered');
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
    // The answer came through the subreddit's comments and the brand's inbox alike: stored once,
    // on the post's thread though its parent is the brand's comment.
    const [row] = await t.app.get(DataSource).query('SELECT in_reply_to_external_id, root_external_id FROM post WHERE external_id = $1', [name(answer)]);
    expect(row).toEqual({ in_reply_to_external_id: name(followUp), root_external_id: name(complaint) });
    expect(await queue(t)).toHaveLength(0);
  });

  it('reopens the case at the top of the queue when the customer says it is not fixed', async () => {
    const first = reddit.submit(tom, 'AcmeSupport', 'Charged twice', 'You charged me twice for order 4411 and I want a refund.');
    await w.poll(REDDIT_SOURCE);
    const [c] = await queue(t);
    await t.as('agent2').post(`/cases/${c.id}/acknowledge`, {});
    await w.publish();
    await t.as('agent2').post(`/cases/${c.id}/resolve`, { note: 'Refund of the double charge issued.', firstTimeFix: true });
    clock.advance(3 * DAY + 60_000);
    await w.publish();
    const followUp = reddit.repliesTo(name(first)).find((r) => body(r).includes('Is everything resolved'))!;

    const sanne = reddit.addUser('sanne_v');
    reddit.submit(sanne, 'AcmeSupport', 'App broken again', 'The app keeps crashing when I try to pay, broken again. Terrible.');
    reddit.comment(tom, name(followUp), 'No, I am still waiting for the refund. Unacceptable.');
    await w.poll(REDDIT_SOURCE);

    const items = await queue(t);
    expect(items.map((i) => i.customer.handle)).toEqual(['u/tom_b', 'u/sanne_v']);
    expect(items[0]).toMatchObject({ id: c.id, status: 'open', priority: REOPEN_PRIORITY, reopenCount: 1, firstTimeFix: { claimed: true, verdict: 'no' } });
  });

  it("never takes in the brand's own posts and comments", async () => {
    const own = reddit.submit(reddit.brand, 'AcmeSupport', 'Known issue: chargers failing', 'Some chargers broke after two days. Terrible, we are sorry and replacing them all.');
    const ownComment = reddit.comment(reddit.brand, name(own), 'Still broken for you? That is awful, please write to us.');
    const customer = reddit.comment(anna, name(own), 'Mine broke too, terrible quality. I want a refund now.');
    expect(await w.poll(REDDIT_SOURCE)).toBe('polled');
    expect(await stored(name(own))).toBe(0);
    expect(await stored(name(ownComment))).toBe(0);
    expect(await stored(name(customer))).toBe(1);
    // A comment on the brand's post is a post reply in its inbox too: still one post, one case.
    const cases = (await queue(t)).filter((i) => i.post.externalId === name(customer));
    expect(cases).toHaveLength(1);
  });

  it('finds a complaint elsewhere on Reddit by keyword, and the customer\'s answer there through the inbox', async () => {
    const lena = reddit.addUser('lena_m');
    const elsewhere = reddit.submit(lena, 'phones', 'AcmePhone screen cracked in a week', 'My AcmePhone screen cracked by itself, the worst phone I ever bought. I want my money back.');
    reddit.submit(lena, 'phones', 'Best budget phone?', 'Any advice?');
    expect(await w.poll(REDDIT_SOURCE)).toBe('polled');
    const item = (await queue(t)).find((i) => i.post.externalId === name(elsewhere))!;
    expect(item).toMatchObject({ customer: { handle: 'u/lena_m' }, post: { url: expect.stringContaining('/r/phones/comments/') } });

    await t.as('agent').post(`/cases/${item.id}/acknowledge`, {});
    expect(await w.publish()).toBe(1);
    const [ack] = reddit.repliesTo(name(elsewhere));
    expect(ack.data).toMatchObject({ subreddit: 'phones', author: reddit.brand.name });

    // r/phones is not watched: her answer reaches Paradox only as a comment reply in the inbox.
    const more = reddit.comment(lena, name(ack), 'Thanks, but it is still broken and the shop refuses to help.');
    expect(await w.poll(REDDIT_SOURCE)).toBe('polled');
    const timeline = (await caseOf(item.id)).timeline.filter((e: { type: string }) => e.type === 'post');
    expect(timeline).toHaveLength(2);
    expect(await stored(name(more))).toBe(1);

    // The thread around her latest comment: found by id, then its post narrowed to it.
    const thread = await t.as('agent').get(`/cases/${item.id}/thread`);
    expect(thread.status).toBe(200);
    expect(thread.data.posts.map((p: Record<string, unknown>) => [p.externalId, p.customer, p.stored, p.inReplyToExternalId])).toEqual([
      [name(elsewhere), true, true, null],
      [name(ack), false, false, name(elsewhere)],
      [name(more), true, true, name(ack)],
    ]);
  });

  it('takes in a username mention from anywhere, and leaves private messages alone', async () => {
    const piet = reddit.addUser('piet_d');
    const thread = reddit.submit(piet, 'gadgets', 'Chargers compared', 'Which one lasts?');
    const mention = reddit.comment(piet, name(thread), 'u/AcmeCare my order never arrived and support ignores me for weeks. Awful.');
    reddit.message(piet, 'order 99', 'Where is my order? This is terrible.');
    expect(await w.poll(REDDIT_SOURCE)).toBe('polled');
    expect((await queue(t)).find((i) => i.post.externalId === name(mention))).toMatchObject({ customer: { handle: 'u/piet_d' } });
    const [{ n }] = await t.app.get(DataSource).query(`SELECT count(*)::int AS n FROM post WHERE external_id LIKE 't4_%'`);
    expect(n).toBe(0);
  });

  it('keeps post text as text: Markdown and markup arrive as typed, never as HTML', async () => {
    const text = 'Charger <script>alert(1)</script> & **broken** again, terrible service, refund now';
    const post = reddit.submit(anna, 'AcmeSupport', 'Still <b>broken</b>', text);
    await w.poll(REDDIT_SOURCE);
    const [row] = await t.app.get(DataSource).query('SELECT text FROM post WHERE external_id = $1', [name(post)]);
    expect(row.text).toBe(`Still <b>broken</b>\n\n${text}`);
    // Every read asked for raw_json=1, without which Reddit escapes &, < and > in the text.
    expect(reddit.requests.filter((r) => r.method === 'GET').every((r) => r.query.raw_json === '1')).toBe(true);
  });
});
