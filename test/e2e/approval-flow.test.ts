import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { join } from 'node:path';
import { queue, workers } from '../support/flow.js';
import { MastodonImitation } from '../support/mastodon-imitation.js';
import { MASTODON_CONTRACTS, OpenApiContract, contractsAvailable } from '../support/openapi-contract.js';
import { TestClock } from '../support/test-clock.js';
import { mastodonSource, startTestApp, type TestApp } from '../support/test-app.js';

describe('agent, approver and publisher on Mastodon', () => {
  let mastodon: MastodonImitation;
  let t: TestApp;
  let clock: TestClock;
  let w: ReturnType<typeof workers>;

  beforeAll(async () => {
    mastodon = await MastodonImitation.start();
    clock = new TestClock(new Date('2026-11-26T09:00:00Z'));
    const file = mastodonSource(mastodon.url);
    // PR approves the first public reply of every case, and any reply that talks about money back.
    const brands = [{ ...file.brands[0], approval: { mode: 'first', words: ['refund', 'compensation'] } }];
    t = await startTestApp({ ...file, brands }, { clock, env: { T_MASTODON: mastodon.accessToken } });
    w = workers(t);
  });

  afterAll(async () => {
    await t?.close();
    await mastodon?.stop();
  });

  it("queues a complaint, holds the agent's apology for the approver, and publishes the approved text once, threaded, with the whole record", async () => {
    const anna = mastodon.addAccount('anna', { displayName: 'Anna de Vries', followers: 310 });
    const complaint = mastodon.post(anna, '@acme you charged me twice for order 5521 and nobody answers my emails', { createdAt: clock.now() });
    expect(await w.poll()).toBe('polled');
    const [item] = await queue(t);
    expect(item).toMatchObject({ status: 'open', post: { externalId: complaint.id } });

    // The agent claims the case and writes the apology from the template.
    clock.advance(2 * 60_000);
    await t.as('agent').post(`/cases/${item.id}/claim`);
    const draft = (await t.as('agent').get(`/cases/${item.id}/draft`, { params: { kind: 'apology' } })).data;
    expect(draft.text).toMatch(/^Hi Anna, we got this wrong/);
    const agentText = `${draft.text} The refund of the second charge is on its way.`;
    const written = await t.as('agent').post(`/cases/${item.id}/replies`, { kind: 'apology', text: agentText });
    expect(written.status).toBe(201);
    expect(written.data).toMatchObject({ status: 'pending_approval', approvalReasons: ['the first reply of the case', 'words: refund'] });
    expect(await w.publish()).toBe(0);
    expect(mastodon.repliesTo(complaint.id)).toHaveLength(0);

    // The approver finds it in the queue with the customer's post, edits and approves.
    clock.advance(7 * 60_000);
    const pending = (await t.as('approver').get('/approvals')).data.items;
    expect(pending).toMatchObject([{ reply: { id: written.data.id, text: agentText }, case: { id: item.id }, customer: { handle: '@anna' }, post: { externalId: complaint.id } }]);
    const approvedText = agentText.replace('is on its way.', 'is on its way: you will see it within three working days.');
    const approved = await t.as('approver').post(`/approvals/${written.data.id}/approve`, { text: approvedText, comment: 'Give her a date' });
    expect(approved.status).toBe(200);
    expect(approved.data.diff.filter((p: { op: string }) => p.op !== 'same')).toEqual([{ op: 'added', text: ': you will see it within three working days' }]);

    // The publisher posts the approved text under Anna's post, once.
    clock.advance(60_000);
    expect(await w.publish()).toBe(1);
    expect(await w.publish()).toBe(0);
    const [reply, ...more] = mastodon.repliesTo(complaint.id);
    expect(more).toHaveLength(0);
    expect(reply.account.id).toBe(mastodon.brand.id);
    const posted = mastodon.requests.filter((r) => r.method === 'POST' && r.path === '/api/v1/statuses');
    expect(posted).toHaveLength(1);
    expect(posted[0].body).toMatchObject({ status: `@anna ${approvedText}`, in_reply_to_id: complaint.id });
    expect(posted[0].headers['idempotency-key']).toBe(written.data.idempotencyKey);

    const c = (await t.as('agent').get(`/cases/${item.id}`)).data;
    expect(c.status).toBe('acknowledged');
    expect(c.timeline.map((e: { type: string; actor: string }) => `${e.type}:${e.actor}`)).toEqual([
      'post:@anna',
      'claimed:alice',
      'reply_submitted:alice',
      'reply_approved:petra',
      'reply_published:paradox',
      'acknowledged:paradox',
    ]);

    // Who wrote, edited, approved and published it, when, and the text as published.
    const audit = (await t.as('manager').get('/audit', { params: { caseId: item.id } })).data.items;
    expect(audit.map((e: { action: string; actor: string }) => `${e.action}:${e.actor}`)).toEqual([
      'case.claimed:alice',
      'reply.written:alice',
      'reply.submitted:alice',
      'reply.edited:petra',
      'reply.approved:petra',
      'reply.published:paradox',
    ]);
    const [, wrote, , edited, approval, published] = audit;
    expect(wrote.data).toMatchObject({ kind: 'apology', text: agentText, status: 'pending_approval', edited: true });
    expect(edited.data).toEqual({ before: agentText, after: approvedText });
    expect(approval.data).toMatchObject({ text: approvedText, comment: 'Give her a date', edited: true });
    expect(published.data).toMatchObject({ text: approvedText, platform: 'mastodon', externalId: reply.id });
    expect(audit.map((e: { at: string }) => e.at)).toEqual([
      '2026-11-26T09:02:00.000Z',
      '2026-11-26T09:02:00.000Z',
      '2026-11-26T09:02:00.000Z',
      '2026-11-26T09:09:00.000Z',
      '2026-11-26T09:09:00.000Z',
      '2026-11-26T09:10:00.000Z',
    ]);
  });

  it('lets later replies on the case out without approval, unless they talk about a refund', async () => {
    const [item] = await queue(t);
    const question = await t.as('agent').post(`/cases/${item.id}/replies`, { kind: 'question' });
    expect(question.data.status).toBe('queued');
    const money = await t.as('agent').post(`/cases/${item.id}/replies`, { kind: 'resolution', text: 'The Refund went out this morning.' });
    expect(money.data).toMatchObject({ status: 'pending_approval', approvalReasons: ['words: refund'] });
    expect(await w.publish()).toBe(1);
  });

  it('sends every request the Mastodon contract allows', () => {
    if (!contractsAvailable(MASTODON_CONTRACTS)) return;
    const contract = OpenApiContract.load(join(MASTODON_CONTRACTS, 'openapi/mastodon-openapi.schema.json'));
    for (const r of mastodon.requests) {
      expect({ request: `${r.method} ${r.path}`, errors: contract.requestErrors(r.method, r.path, r.query, r.body) }).toEqual({ request: `${r.method} ${r.path}`, errors: [] });
    }
  });
});
