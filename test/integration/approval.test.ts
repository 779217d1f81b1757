import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { Caller } from '../../src/auth/caller.js';
import { Clock } from '../../src/common/clock.js';
import { ApprovalsService } from '../../src/replies/approvals.service.js';
import { queue, workers } from '../support/flow.js';
import { type ImitationAccount, MastodonImitation } from '../support/mastodon-imitation.js';
import { TestClock } from '../support/test-clock.js';
import { mastodonSource, startTestApp, type TestApp } from '../support/test-app.js';
import { WebhookClient, WEBHOOK_SECRET, delivery, webhookSecrets, webhookSources } from '../support/webhook-client.js';

const DAY = 24 * 60 * 60_000;
const approver = (name: string, brandId: string | null = 'acme'): Caller => ({ id: `u-${name}`, name, grants: [{ role: 'approver', brandId }] });

describe('approving replies', () => {
  let mastodon: MastodonImitation;
  let t: TestApp;
  let clock: TestClock;
  let w: ReturnType<typeof workers>;
  let customers = 0;

  beforeAll(async () => {
    mastodon = await MastodonImitation.start();
    clock = new TestClock(new Date('2026-11-23T09:00:00Z'));
    const file = mastodonSource(mastodon.url);
    // A second brand takes complaints through a form without a callback: private, and posted by hand.
    const forms = webhookSources([{ id: 'acme-form' }]).sources.map((s) => ({ ...s, brand: 'forms' }));
    const brands = [
      { ...file.brands[0], approval: { mode: 'all' } },
      { id: 'forms', name: 'Acme Forms', approval: { mode: 'all', private: true } },
    ];
    t = await startTestApp({ ...file, sources: [...file.sources, ...forms], brands }, { clock, env: { T_MASTODON: mastodon.accessToken, ...webhookSecrets(1) } });
    w = workers(t);
  });

  afterAll(async () => {
    await t?.close();
    await mastodon?.stop();
  });

  // A complaint from a new customer, polled into a case of its own.
  async function complaint(text = 'my order arrived broken and nobody answers my emails', visibility: 'public' | 'direct' = 'public') {
    customers += 1;
    const customer: ImitationAccount = mastodon.addAccount(`customer${customers}`, { displayName: `Customer${customers} Jansen` });
    const status = mastodon.post(customer, `@acme ${text}`, { createdAt: clock.now(), visibility });
    await w.poll();
    const item = (await queue(t)).find((c) => c.post.externalId === status.id)!;
    return { caseId: item.id as string, status };
  }

  async function pendingReply(author: 'agent' | 'manager' = 'agent', text = 'Sorry, that was our mistake. A new one goes out today.') {
    const { caseId, status } = await complaint();
    const written = await t.as(author).post(`/cases/${caseId}/replies`, { kind: 'apology', text });
    expect(written.status).toBe(201);
    return { caseId, status, reply: written.data };
  }

  it('keeps a reply that needs approval out of the outbox and shows it in the approvers queue', async () => {
    const { caseId, status, reply } = await pendingReply();
    expect(reply).toMatchObject({ status: 'pending_approval', approvalReasons: ['every public reply'], createdBy: 'alice', approvedAt: null, diff: null });
    expect(new Date(reply.submittedAt).toISOString()).toBe(clock.now().toISOString());
    expect(await w.publish()).toBe(0);
    expect(mastodon.repliesTo(status.id)).toHaveLength(0);
    expect((await t.as('agent').get(`/cases/${caseId}`)).data).toMatchObject({ status: 'open', acknowledgedAt: null });

    const list = await t.as('approver').get('/approvals', { params: { brand: 'acme' } });
    expect(list.status).toBe(200);
    const item = list.data.items.find((i: { reply: { id: string } }) => i.reply.id === reply.id);
    expect(item).toMatchObject({
      reply: { kind: 'apology', text: reply.text, status: 'pending_approval' },
      case: { id: caseId, brandId: 'acme', status: 'open', claimedBy: 'alice' },
      customer: { handle: expect.stringMatching(/^@customer\d+$/), displayName: expect.stringMatching(/Jansen$/) },
      post: { externalId: status.id, text: expect.stringContaining('arrived broken') },
    });
    expect((await t.as('agent').get('/approvals')).status).toBe(403);
    expect((await t.as('approver').get('/approvals', { params: { limit: 0 } })).data.fields[0].field).toBe('limit');
    // An approver of another brand sees none of them, and may not ask for this one.
    const elsewhere = t.app.get(ApprovalsService);
    expect((await elsewhere.pending(approver('otto', 'globex'), { limit: 50, offset: 0 })).items).toEqual([]);
    await expect(elsewhere.pending(approver('otto', 'globex'), { brand: 'acme', limit: 50, offset: 0 })).rejects.toMatchObject({ code: 'AUTH.BRAND' });
  });

  it("publishes an approved reply exactly once, with the approver's edit kept beside the author's text as a word diff", async () => {
    const { caseId, status, reply } = await pendingReply('agent', 'Sorry, that was our mistake. A new one goes out today.');
    clock.advance(5 * 60_000);
    const approved = await t.as('approver').post(`/approvals/${reply.id}/approve`, {
      text: 'Sorry, that was our mistake. A new one goes out today by express.',
      comment: 'Say how it is sent',
    });
    expect(approved.status).toBe(200);
    expect(approved.data).toMatchObject({
      status: 'queued',
      approvedBy: 'petra',
      approverComment: 'Say how it is sent',
      originalText: 'Sorry, that was our mistake. A new one goes out today.',
      text: 'Sorry, that was our mistake. A new one goes out today by express.',
      diff: [
        { op: 'same', text: 'Sorry, that was our mistake. A new one goes out today' },
        { op: 'added', text: ' by express' },
        { op: 'same', text: '.' },
      ],
    });
    expect(new Date(approved.data.approvedAt).getTime() - new Date(approved.data.submittedAt).getTime()).toBe(5 * 60_000);
    const again = await t.as('manager').post(`/approvals/${reply.id}/approve`, {});
    expect(again.status).toBe(409);
    expect(again.data).toMatchObject({ code: 'REPLY.ALREADY_APPROVED', approvedBy: 'petra' });
    expect((await t.as('manager').post(`/approvals/${reply.id}/reject`, { comment: 'late' })).data.code).toBe('REPLY.ALREADY_APPROVED');

    expect(await w.publish()).toBe(1);
    expect(await w.publish()).toBe(0);
    const published = mastodon.repliesTo(status.id);
    expect(published).toHaveLength(1);
    expect(published[0].content).toContain('by express');
    const shown = (await t.as('agent').get(`/cases/${caseId}/replies`)).data;
    expect(shown).toMatchObject([{ id: reply.id, status: 'published', diff: approved.data.diff }]);
    expect((await t.as('agent').get(`/cases/${caseId}`)).data.status).toBe('acknowledged');

    const audit = (await t.as('manager').get('/audit', { params: { caseId } })).data.items.filter((e: { replyId: string }) => e.replyId === reply.id);
    expect(audit.map((e: { action: string; actor: string }) => [e.action, e.actor])).toEqual([
      ['reply.written', 'alice'],
      ['reply.submitted', 'alice'],
      ['reply.edited', 'petra'],
      ['reply.approved', 'petra'],
      ['reply.published', 'paradox'],
    ]);
    expect(audit[2].data).toEqual({ before: reply.text, after: approved.data.text });
    expect(audit[4].data.text).toBe(approved.data.text);
  });

  it('sends a rejected reply back to its author with the comment, and takes the new one', async () => {
    const { caseId, reply } = await pendingReply();
    const bare = await t.as('approver').post(`/approvals/${reply.id}/reject`, {});
    expect(bare.status).toBe(400);
    expect(bare.data.fields.map((f: { field: string }) => f.field)).toEqual(['comment']);
    expect((await t.as('approver').post(`/approvals/${reply.id}/reject`, { comment: '   ' })).status).toBe(400);

    const rejected = await t.as('approver').post(`/approvals/${reply.id}/reject`, { comment: 'Promise no date we cannot keep' });
    expect(rejected.status).toBe(200);
    expect(rejected.data).toMatchObject({ status: 'rejected', rejectedBy: 'petra', approverComment: 'Promise no date we cannot keep', approvedAt: null });
    expect((await t.as('manager').post(`/approvals/${reply.id}/approve`, {})).data).toMatchObject({ code: 'REPLY.ALREADY_REJECTED', rejectedBy: 'petra' });
    expect(await w.publish()).toBe(0);

    // The author sees it on the case, with the reason, and writes a new reply.
    const [back] = (await t.as('agent').get(`/cases/${caseId}/replies`)).data;
    expect(back).toMatchObject({ id: reply.id, status: 'rejected', approverComment: 'Promise no date we cannot keep' });
    const timeline = (await t.as('agent').get(`/cases/${caseId}`)).data.timeline;
    expect(timeline.find((e: { type: string }) => e.type === 'reply_rejected')).toMatchObject({ actor: 'petra', data: { replyId: reply.id, author: 'alice', comment: 'Promise no date we cannot keep' } });
    const next = await t.as('agent').post(`/cases/${caseId}/replies`, { kind: 'apology', text: 'Sorry, that was our mistake. We will send a new one and tell you when it ships.' });
    expect(next.data.status).toBe('pending_approval');
    expect((await t.as('approver').get('/approvals')).data.items.map((i: { reply: { id: string } }) => i.reply.id)).not.toContain(reply.id);
    const audit = (await t.as('manager').get('/audit', { params: { caseId, action: 'reply.rejected' } })).data.items;
    expect(audit).toMatchObject([{ actor: 'petra', replyId: reply.id, data: { comment: 'Promise no date we cannot keep', author: 'alice' } }]);
  });

  it('lets nobody approve or reject their own reply', async () => {
    const { reply } = await pendingReply('manager');
    for (const decision of ['approve', 'reject']) {
      const own = await t.as('manager').post(`/approvals/${reply.id}/${decision}`, { comment: 'fine by me' });
      expect(own.status).toBe(409);
      expect(own.data.code).toBe('APPROVAL.OWN_REPLY');
    }
    expect((await t.as('approver').post(`/approvals/${reply.id}/approve`, {})).data.status).toBe('queued');
  });

  it('takes one decision when approvers decide at the same moment', async () => {
    const approvals = t.app.get(ApprovalsService);
    const { reply } = await pendingReply();
    const callers = Array.from({ length: 8 }, (_, i) => approver(`approver-${i}`));
    const results = await Promise.allSettled(callers.map((c) => approvals.approve(reply.id, c, {})));
    const won = results.filter((r) => r.status === 'fulfilled');
    expect(won).toHaveLength(1);
    for (const r of results) if (r.status === 'rejected') expect(r.reason.code).toBe('REPLY.ALREADY_APPROVED');

    // One approves while another rejects: one of them decides, the other is told what happened.
    const second = (await pendingReply()).reply;
    const race = await Promise.allSettled([approvals.approve(second.id, approver('anne'), {}), approvals.reject(second.id, approver('bert'), 'no')]);
    const decided = race.filter((r) => r.status === 'fulfilled') as PromiseFulfilledResult<{ status: string }>[];
    expect(decided).toHaveLength(1);
    const refused = (race.find((r) => r.status === 'rejected') as PromiseRejectedResult).reason.code;
    expect(refused).toBe(decided[0].value.status === 'queued' ? 'REPLY.ALREADY_APPROVED' : 'REPLY.ALREADY_REJECTED');

    const entries = (await t.as('manager').get('/audit', { params: { limit: 1000 } })).data.items.filter(
      (e: { replyId: string; action: string }) => [reply.id, second.id].includes(e.replyId) && ['reply.approved', 'reply.rejected'].includes(e.action),
    );
    expect(entries).toHaveLength(2);
  });

  it('refuses an edit longer than the channel allows and leaves the reply waiting', async () => {
    const { reply } = await pendingReply();
    const long = await t.as('approver').post(`/approvals/${reply.id}/approve`, { text: 'Sorry! '.repeat(80) });
    expect(long.status).toBe(400);
    expect(long.data).toMatchObject({ code: 'REPLY.TOO_LONG', field: 'text' });
    expect((await t.as('approver').get('/approvals')).data.items.map((i: { reply: { id: string } }) => i.reply.id)).toContain(reply.id);
  });

  it('answers an unknown reply with a 404 and one that needed no approval with a 409', async () => {
    const unknown = await t.as('approver').post('/approvals/00000000-0000-4000-8000-000000000000/approve', {});
    expect(unknown.status).toBe(404);
    expect(unknown.data.code).toBe('REPLY.NOT_FOUND');
    expect((await t.as('approver').post('/approvals/not-a-uuid/approve', {})).data.fields[0].field).toBe('replyId');

    // A direct (private) reply is exempt from the brand's policy: it goes straight out.
    const { caseId } = await complaint('my refund is still missing after two weeks', 'direct');
    const direct = await t.as('agent').post(`/cases/${caseId}/acknowledge`, {});
    expect(direct.data).toMatchObject({ status: 'queued', visibility: 'direct', submittedAt: null });
    const notPending = await t.as('approver').post(`/approvals/${direct.data.id}/approve`, {});
    expect(notPending.status).toBe(409);
    expect(notPending.data.code).toBe('REPLY.NOT_PENDING');
  });

  it('holds the follow-up for approval too, then sends it when it is due', async () => {
    const { caseId, status, reply } = await pendingReply();
    await t.as('approver').post(`/approvals/${reply.id}/approve`, {});
    await w.publish();
    const resolved = await t.as('agent').post(`/cases/${caseId}/resolve`, { note: 'Sent a new one by express', firstTimeFix: true });
    expect(resolved.data.followUp).toMatchObject({ kind: 'follow_up', status: 'pending_approval' });
    await t.as('approver').post(`/approvals/${resolved.data.followUp.id}/approve`, {});
    expect(await w.publish()).toBe(0);
    clock.advance(3 * DAY + 60_000);
    expect(await w.publish()).toBe(1);
    expect(mastodon.repliesTo(status.id)).toHaveLength(2);
    expect((await t.as('agent').get(`/cases/${caseId}`)).data.status).toBe('follow_up_sent');
  });

  it('holds a private reply when the policy includes them, and then leaves a reply for a channel without posting to an agent', async () => {
    const form = new WebhookClient(t.url, 'acme-form', WEBHOOK_SECRET, () => t.app.get(Clock).now());
    const { data } = await form.send(delivery('You charged me twice and the refund never came, this is terrible', { id: 'cust-kees', handle: 'kees' }));
    const written = await t.as('agent').post(`/cases/${data.caseId}/replies`, { kind: 'apology', text: 'Sorry Kees, we charged you twice. The refund goes out today.' });
    expect(written.data).toMatchObject({ status: 'pending_approval', manual: true, visibility: 'direct', approvalReasons: ['every reply, private ones too'] });
    expect((await t.as('agent').post(`/replies/${written.data.id}/record`, {})).data.code).toBe('REPLY.NOT_MANUAL');
    await t.as('approver').post(`/approvals/${written.data.id}/approve`, {});
    expect(await w.publish()).toBe(0);
    const recorded = await t.as('agent').post(`/replies/${written.data.id}/record`, { url: 'https://support.example/tickets/7' });
    expect(recorded.data).toMatchObject({ status: 'published', publishedBy: 'alice', approvedBy: 'petra' });
  });
});
