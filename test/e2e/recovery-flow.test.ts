import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { join } from 'node:path';
import { queue, workers } from '../support/flow.js';
import { type ImitationAccount, MastodonImitation } from '../support/mastodon-imitation.js';
import { MASTODON_CONTRACTS, OpenApiContract, contractsAvailable } from '../support/openapi-contract.js';
import { REOPEN_PRIORITY } from '../../src/cases/case-rules.js';
import { TestClock } from '../support/test-clock.js';
import { mastodonSource, startTestApp, type TestApp } from '../support/test-app.js';

const DAY = 24 * 60 * 60_000;

describe('the recovery flow on Mastodon', () => {
  let mastodon: MastodonImitation;
  let t: TestApp;
  let clock: TestClock;
  let anna: ImitationAccount;
  let tom: ImitationAccount;
  let w: ReturnType<typeof workers>;

  beforeAll(async () => {
    mastodon = await MastodonImitation.start();
    clock = new TestClock(new Date());
    t = await startTestApp(mastodonSource(mastodon.url), { clock, env: { T_MASTODON: mastodon.accessToken } });
    w = workers(t);
    anna = mastodon.addAccount('anna', { displayName: 'Anna de Vries', followers: 120 });
    tom = mastodon.addAccount('tom', { displayName: 'Tom Baker' });
  });

  afterAll(async () => {
    await t?.close();
    await mastodon?.stop();
  });

  it('finds a complaint mention, queues it, acknowledges it on the thread, follows up and records the recovery', async () => {
    const complaint = mastodon.post(anna, '@acme my parcel still has not arrived after three weeks and nobody answers my emails', { createdAt: clock.now() });
    mastodon.post(mastodon.brand, 'Our new #acmefail hashtag is live, we read every post!');
    mastodon.post(tom, 'Lovely sunny day in Utrecht #acmefail');

    expect(await w.poll()).toBe('polled');
    const [item, ...rest] = await queue(t);
    expect(rest).toHaveLength(0);
    expect(item).toMatchObject({ status: 'open', platform: 'mastodon', customer: { handle: '@anna' }, post: { externalId: complaint.id } });
    expect(item.analysis.complaint.label).toBe(true);
    expect(new Date(item.ackDueAt).getTime()).toBe(new Date(complaint.created_at).getTime() + 60 * 60_000);

    expect((await t.as('agent').post(`/cases/${item.id}/claim`)).data.claimedBy).toBe('alice');
    const stolen = await t.as('agent2').post(`/cases/${item.id}/claim`);
    expect(stolen.status).toBe(409);
    expect(stolen.data.code).toBe('CASE.ALREADY_CLAIMED');

    const draft = await t.as('agent').get(`/cases/${item.id}/draft`, { params: { kind: 'acknowledgement' } });
    expect(draft.data.text).toContain('Hi Anna');
    const ack = await t.as('agent').post(`/cases/${item.id}/acknowledge`, { text: `${draft.data.text} We'll check the parcel with the courier now.` });
    expect(ack.status).toBe(201);
    expect((await t.as('agent').post(`/cases/${item.id}/acknowledge`, {})).data.code).toBe('CASE.ALREADY_ACKNOWLEDGED');

    expect(await w.publish()).toBe(1);
    const [reply] = mastodon.repliesTo(complaint.id);
    expect(reply.account.id).toBe(mastodon.brand.id);
    expect(reply.visibility).toBe('public');
    expect(reply.content).toContain('anna');
    const post = mastodon.requests.find((r) => r.method === 'POST' && r.path === '/api/v1/statuses')!;
    expect(post.headers['idempotency-key']).toBe(ack.data.idempotencyKey);

    // The conversation as Mastodon shows it now: Anna's post with the brand's answer below.
    const thread = await t.as('approver').get(`/cases/${item.id}/thread`);
    expect(thread.status).toBe(200);
    expect(thread.data.posts.map((p: Record<string, unknown>) => [p.externalId, p.customer, p.stored])).toEqual([
      [complaint.id, true, true],
      [reply.id, false, false],
    ]);

    const resolved = await t.as('agent').post(`/cases/${item.id}/resolve`, { note: 'Courier had the wrong house number; re-delivered today.', firstTimeFix: true });
    expect(resolved.status).toBe(200);
    expect(resolved.data.case.status).toBe('resolved');
    expect(await w.publish()).toBe(0); // the follow-up waits three days

    clock.advance(3 * DAY + 60_000);
    expect(await w.publish()).toBe(1);
    const followUp = mastodon.repliesTo(complaint.id).find((s) => s.content.includes('Is everything resolved'))!;
    expect(followUp).toBeDefined();
    expect((await t.as('agent').get(`/cases/${item.id}`)).data.status).toBe('follow_up_sent');

    clock.advance(20 * 60_000); // Anna answers twenty minutes later
    mastodon.post(anna, '@acme yes, all sorted now, thanks a lot!', { inReplyToId: followUp.id, createdAt: clock.now() });
    expect(await w.poll()).toBe('polled');
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
  });

  it('reopens the case at the top of the queue when the customer says it is not fixed', async () => {
    const first = mastodon.post(tom, '@acme you charged me twice for order 4411 and I want a refund');
    await w.poll();
    const [c] = await queue(t);
    await t.as('agent2').post(`/cases/${c.id}/acknowledge`, {});
    await w.publish();
    await t.as('agent2').post(`/cases/${c.id}/resolve`, { note: 'Refund of the double charge issued.', firstTimeFix: true });
    clock.advance(3 * DAY + 60_000);
    await w.publish();
    const followUp = mastodon.repliesTo(first.id).find((s) => s.content.includes('Is everything resolved'))!;

    const other = mastodon.addAccount('sanne');
    mastodon.post(other, '@acme the app keeps crashing when I try to pay, broken again');
    mastodon.post(tom, '@acme no, I am still waiting for the refund', { inReplyToId: followUp.id, createdAt: clock.now() });
    await w.poll();

    const items = await queue(t);
    expect(items.map((i) => i.customer.handle)).toEqual(['@tom', '@sanne']);
    expect(items[0]).toMatchObject({ id: c.id, status: 'open', priority: REOPEN_PRIORITY, reopenCount: 1, firstTimeFix: { claimed: true, verdict: 'no' } });
  });

  it('sends every request the Mastodon contract allows', () => {
    if (!contractsAvailable(MASTODON_CONTRACTS)) return;
    const contract = OpenApiContract.load(join(MASTODON_CONTRACTS, 'openapi/mastodon-openapi.schema.json'));
    expect(mastodon.requests.length).toBeGreaterThan(5);
    for (const r of mastodon.requests) {
      expect({ request: `${r.method} ${r.path}`, errors: contract.requestErrors(r.method, r.path, r.query, r.body) }).toEqual({
        request: `${r.method} ${r.path}`,
        errors: [],
      });
    }
  });
});
