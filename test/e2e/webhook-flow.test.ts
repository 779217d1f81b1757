import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { REOPEN_PRIORITY } from '../../src/cases/case-rules.js';
import { queue, workers } from '../support/flow.js';
import { TestClock } from '../support/test-clock.js';
import { startTestApp, type TestApp } from '../support/test-app.js';
import { delivery, WEBHOOK_SECRET, WebhookClient, webhookSecrets, webhookSources } from '../support/webhook-client.js';
import { type MadeReply, WebhookReceiver } from '../support/webhook-receiver.js';

const DAY = 24 * 60 * 60_000;
const types = (timeline: { type: string }[]) => timeline.map((e) => e.type);

describe('the recovery flow through a signed webhook', () => {
  let receiver: WebhookReceiver;
  let t: TestApp;
  let clock: TestClock;
  let survey: WebhookClient;
  let form: WebhookClient;
  let w: ReturnType<typeof workers>;
  const getCase = async (id: string) => (await t.as('agent').get(`/cases/${id}`)).data;
  const replies = async (caseId: string) => (await t.as('agent').get(`/cases/${caseId}/replies`)).data as Array<Record<string, any>>;

  // A complaint delivered, acknowledged and published, resolved, and the follow-up published three days on.
  async function throughFollowUp(customer: { id: string; handle: string }, text: string) {
    const complaint = delivery(text, customer);
    const { data } = await survey.send(complaint);
    await t.as('agent').post(`/cases/${data.caseId}/acknowledge`, {});
    await w.publish();
    await t.as('agent').post(`/cases/${data.caseId}/resolve`, { note: 'Sorted with the courier.', firstTimeFix: true });
    clock.advance(3 * DAY + 60_000);
    expect(await w.publish()).toBe(1);
    const followUp = receiver.repliesTo(complaint.id).find((r) => r.body.kind === 'follow_up') as MadeReply;
    return { caseId: data.caseId as string, followUp };
  }

  beforeAll(async () => {
    clock = new TestClock(new Date());
    receiver = await WebhookReceiver.start({ secret: WEBHOOK_SECRET, now: () => clock.now() });
    t = await startTestApp(webhookSources([{ id: 'acme-survey', callbackUrl: receiver.url, timeoutMs: 500 }, { id: 'acme-form' }]), {
      clock,
      env: webhookSecrets(2),
    });
    w = workers(t);
    survey = new WebhookClient(t.url, 'acme-survey', WEBHOOK_SECRET, () => clock.now());
    form = new WebhookClient(t.url, 'acme-form', WEBHOOK_SECRET, () => clock.now());
  });

  afterAll(async () => {
    await t?.close();
    await receiver?.stop();
  });

  it('queues a signed complaint, sends the acknowledgement to the callback once, follows up and records the recovery', async () => {
    const anna = { id: 'cust-anna', handle: 'anna.devries', name: 'Anna de Vries' };
    const complaint = delivery('My parcel still has not arrived after three weeks and nobody answers my emails', anna, { language: 'en', url: 'https://surveys.example/r/1' });
    const received = await survey.send(complaint);
    expect(received.status).toBe(202);
    expect(received.data).toEqual({ postId: expect.any(String), caseId: expect.any(String), duplicate: false });
    const [item, ...rest] = await queue(t);
    expect(rest).toHaveLength(0);
    expect(item).toMatchObject({ id: received.data.caseId, status: 'open', platform: 'webhook', customer: { handle: 'anna.devries' }, post: { externalId: `acme-survey:${complaint.id}` } });
    expect(item.analysis.complaint.label).toBe(true);
    expect(new Date(item.ackDueAt).getTime()).toBe(clock.now().getTime() + 60 * 60_000);
    const health = (await t.as('agent').get('/sources')).data.find((s: { id: string }) => s.id === 'acme-survey');
    expect(health).toMatchObject({ type: 'webhook', healthy: true, lastSuccessAt: clock.now().toISOString(), postsIngested: 1 });

    const ack = await t.as('agent').post(`/cases/${item.id}/acknowledge`, {});
    expect(ack.status).toBe(201);
    expect(ack.data).toMatchObject({ manual: false, status: 'queued' });

    // The caller makes the reply, then the connection drops before it answers.
    receiver.failNext('drop');
    expect(await w.publish()).toBe(0);
    expect((await replies(item.id))[0]).toMatchObject({ status: 'queued', attempts: 1, lastError: expect.stringContaining('TEMPORARY') });
    expect(receiver.replies).toHaveLength(1);
    expect(await w.publish()).toBe(0); // backing off
    clock.advance(60_000);
    expect(await w.publish()).toBe(1);

    expect(receiver.replies).toHaveLength(1);
    expect(receiver.requests).toHaveLength(2);
    for (const request of receiver.requests) {
      expect(request.refused).toBeNull();
      expect(request.headers['idempotency-key']).toBe(ack.data.idempotencyKey);
      expect(request.headers['content-type']).toBe('application/json');
    }
    const [made] = receiver.replies;
    expect(made.body).toEqual({
      idempotencyKey: ack.data.idempotencyKey,
      kind: 'acknowledgement',
      inReplyTo: complaint.id,
      text: ack.data.text,
      language: 'en',
      createdAt: expect.any(String),
    });
    expect(made.body.text).toContain('Hi Anna');
    expect((await replies(item.id))[0]).toMatchObject({ status: 'published', externalId: `acme-survey:${made.id}`, externalUrl: `https://support.example/replies/${made.id}` });
    expect((await getCase(item.id)).status).toBe('acknowledged');

    // The conversation lives in the caller's system: nothing to read back.
    expect((await t.as('agent').get(`/cases/${item.id}/thread`)).data).toMatchObject({ platform: 'webhook', posts: [] });

    const resolved = await t.as('agent').post(`/cases/${item.id}/resolve`, { note: 'Courier had the wrong house number; re-delivered today.', firstTimeFix: true });
    expect(resolved.data.case.status).toBe('resolved');
    expect(await w.publish()).toBe(0); // the follow-up waits three days
    clock.advance(3 * DAY + 60_000);
    expect(await w.publish()).toBe(1);
    const followUp = receiver.replies.find((r) => r.body.kind === 'follow_up')!;
    expect(followUp.body).toMatchObject({ inReplyTo: complaint.id, language: 'en' });
    expect(receiver.requests.at(-1)!.refused).toBeNull();
    expect((await getCase(item.id)).status).toBe('follow_up_sent');

    clock.advance(20 * 60_000); // Anna answers the survey twenty minutes later
    const answer = await survey.send(delivery('Yes, all sorted now, thanks a lot!', anna, { inReplyTo: followUp.id }));
    expect(answer.status).toBe(202);
    expect(answer.data.caseId).toBe(item.id);
    const done = await getCase(item.id);
    expect(done).toMatchObject({ status: 'recovered', firstTimeFix: { claimed: true, verdict: 'pending' } });
    expect(types(done.timeline)).toEqual([
      'post',
      'claimed',
      'reply_queued',
      'reply_failed',
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

  it('reopens the case at the top of the queue when the answer to the follow-up says it is not fixed', async () => {
    const tom = { id: 'cust-tom', handle: 'tom' };
    const { caseId, followUp } = await throughFollowUp(tom, 'You charged me twice for order 4411 and I want a refund now');
    await form.send(delivery('The app keeps crashing when I try to pay, broken again', { id: 'cust-sanne', handle: 'sanne' }));
    const answer = await survey.send(delivery('No, I am still waiting for the refund, nothing has happened', tom, { inReplyTo: followUp.id }));
    expect(answer.data.caseId).toBe(caseId);

    const items = await queue(t);
    expect(items.map((i) => i.customer.handle)).toEqual(['tom', 'sanne']);
    expect(items[0]).toMatchObject({ id: caseId, status: 'open', priority: REOPEN_PRIORITY, reopenCount: 1, firstTimeFix: { claimed: true, verdict: 'no' } });
  });

  it('backs off on every kind of callback failure and still makes the reply once', async () => {
    const lena = { id: 'cust-lena', handle: 'lena' };
    const complaint = delivery('My refund never arrived and I am still waiting after a month', lena);
    const { data } = await survey.send(complaint);
    await t.as('agent').post(`/cases/${data.caseId}/acknowledge`, {});
    const before = receiver.requests.length;

    const attempt = async (expected: string, wait: number) => {
      expect(await w.publish()).toBe(0);
      const [reply] = (await replies(data.caseId)).filter((r) => r.kind === 'acknowledgement');
      expect(reply.lastError).toMatch(new RegExp(`^${expected}: `));
      clock.advance(wait);
    };
    receiver.failNext('500');
    await attempt('TEMPORARY', 60_000);
    receiver.failNext('timeout');
    await attempt('TEMPORARY', 60_000);
    receiver.failNext('429', { retryAfter: '600' });
    await attempt('RATE_LIMITED', 300_000);
    expect(await w.publish()).toBe(0); // Retry-After is ten minutes: five are not enough
    clock.advance(300_000);
    receiver.failNext('401');
    await attempt('AUTH_EXPIRED', 15 * 60_000);
    receiver.failNext('no-id');
    await attempt('BAD_RESPONSE', 16 * 60_000);
    expect(await w.publish()).toBe(1);

    const codes = (await getCase(data.caseId)).timeline.filter((e: { type: string }) => e.type === 'reply_failed').map((e: { data: { code: string } }) => e.data.code);
    expect(codes).toEqual(['TEMPORARY', 'TEMPORARY', 'RATE_LIMITED', 'AUTH_EXPIRED', 'BAD_RESPONSE']);
    expect(receiver.requests.length - before).toBe(6);
    expect(receiver.repliesTo(complaint.id)).toHaveLength(1);
    expect((await getCase(data.caseId)).status).toBe('acknowledged');
  });

  it('leaves replies of a source without a callback to an agent, who posts by hand and records them', async () => {
    const complaint = delivery('Your website took my money but the order page shows nothing, terrible', { id: 'cust-piet', handle: 'piet' });
    const { data } = await form.send(complaint);
    const praise = await form.send(delivery('Lovely shop and a quick delivery, thank you', { id: 'cust-joke', handle: 'joke' }));
    expect(praise.data).toMatchObject({ caseId: null, duplicate: false });
    const sent = receiver.requests.length;
    const ack = await t.as('agent').post(`/cases/${data.caseId}/acknowledge`, {});
    expect(ack.data).toMatchObject({ status: 'queued', manual: true });
    expect(await w.publish()).toBe(0);
    expect(receiver.requests).toHaveLength(sent);

    const recorded = await t.as('agent').post(`/replies/${ack.data.id}/record`, { url: 'https://support.example/tickets/991' });
    expect(recorded.status).toBe(200);
    expect(recorded.data).toMatchObject({ status: 'published', publishedBy: 'alice', externalUrl: 'https://support.example/tickets/991' });
    expect((await getCase(data.caseId)).status).toBe('acknowledged');

    // The customer writes again on the same thread: the post joins the case.
    const again = await form.send(delivery('Thanks, I see the order now', { id: 'cust-piet', handle: 'piet' }, { inReplyTo: complaint.id }));
    expect(again.data.caseId).toBe(data.caseId);
  });
});
