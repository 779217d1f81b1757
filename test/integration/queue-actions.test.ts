import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { DataSource } from 'typeorm';
import type { Caller } from '../../src/auth/caller.js';
import type { NotCaseHolderError } from '../../src/cases/case-errors.js';
import { CasesService } from '../../src/cases/cases.service.js';
import type { Role } from '../../src/config/config.schema.js';
import { queue, workers } from '../support/flow.js';
import { type ImitationAccount, MastodonImitation } from '../support/mastodon-imitation.js';
import { TestClock } from '../support/test-clock.js';
import { mastodonSource, startTestApp, type TestApp } from '../support/test-app.js';

const caller = (name: string, role: Role = 'agent'): Caller => ({ id: `token:${name}`, name, grants: [{ role, brandId: null }] });

describe('claiming, transfers, teams and bulk actions', () => {
  let mastodon: MastodonImitation;
  let t: TestApp;
  let clock: TestClock;
  let w: ReturnType<typeof workers>;
  let db: DataSource;
  let cases: CasesService;
  let billing: string;

  const view = async (id: string) => (await t.as('manager').get(`/cases/${id}`)).data;
  const queued = async (params: Record<string, string> = {}) => ((await t.as('agent').get('/cases', { params })).data.items as { id: string }[]).map((c) => c.id);
  const labels = async (postIds: string[]) =>
    (await db.query(`SELECT post_id, is_complaint, labelled_by FROM post_label WHERE post_id = ANY($1::uuid[]) ORDER BY post_id`, [postIds])) as Record<string, unknown>[];
  const audit = async (caseId: string, action: string) => (await t.as('manager').get('/audit', { params: { caseId, action } })).data.items as Record<string, any>[];

  async function complaint(account: ImitationAccount, text: string, inReplyToId?: string) {
    const status = mastodon.post(account, text, { createdAt: clock.now(), inReplyToId });
    await w.poll();
    const item = (await queue(t)).find((c) => c.post.externalId === status.id);
    if (!item) throw new Error(`no case opened for "${text}"`);
    return { status, caseId: item.id as string, postId: item.post.id as string };
  }

  beforeAll(async () => {
    mastodon = await MastodonImitation.start();
    clock = new TestClock(new Date('2026-11-16T09:00:00Z'));
    t = await startTestApp(mastodonSource(mastodon.url), { clock, env: { T_MASTODON: mastodon.accessToken } });
    w = workers(t);
    db = t.app.get(DataSource);
    cases = t.app.get(CasesService);
  });

  afterAll(async () => {
    await t?.close();
    await mastodon?.stop();
  });

  describe('transfers', () => {
    let caseId: string;

    beforeAll(async () => {
      ({ caseId } = await complaint(mastodon.addAccount('anna'), '@acme my parcel still has not arrived after three weeks and nobody answers'));
    });

    it('hands the case from its holder to a colleague, who then holds it; the old holder can no longer act', async () => {
      expect((await t.as('agent').post(`/cases/${caseId}/claim`)).data.claimedBy).toBe('alice');
      const notHolder = await t.as('agent2').post(`/cases/${caseId}/transfer`, { toUser: 'alice' });
      expect(notHolder.status).toBe(409);
      expect(notHolder.data).toMatchObject({ code: 'CASE.NOT_HOLDER', claimedBy: 'alice' });

      const moved = await t.as('agent').post(`/cases/${caseId}/transfer`, { toUser: 'bob', note: 'Bob knows the courier' });
      expect(moved.status).toBe(200);
      expect(moved.data).toMatchObject({ claimedBy: 'bob', transferCount: 1, team: null });

      expect((await t.as('agent').post(`/cases/${caseId}/release`)).data.code).toBe('CASE.NOT_HOLDER');
      expect((await t.as('agent').post(`/cases/${caseId}/claim`)).data.code).toBe('CASE.ALREADY_CLAIMED');
      expect((await t.as('agent').post(`/cases/${caseId}/acknowledge`, {})).data.code).toBe('CASE.NOT_HOLDER');
      expect((await t.as('agent').post(`/cases/${caseId}/transfer`, { toUser: 'alice' })).data.code).toBe('CASE.NOT_HOLDER');
      await expect(db.transaction((m) => cases.assertHolder(caseId, caller('alice'), m))).rejects.toMatchObject({ code: 'CASE.NOT_HOLDER' });
      await expect(db.transaction((m) => cases.assertHolder(caseId, caller('bob'), m))).resolves.toMatchObject({ claimedBy: 'bob' });
      expect((await t.as('agent2').post(`/cases/${caseId}/transfer`, { toUser: 'bob' })).data.code).toBe('CASE.ALREADY_HOLDER');

      const event = (await view(caseId)).timeline.find((e: { type: string }) => e.type === 'transferred');
      expect(event).toMatchObject({ actor: 'alice', data: { from: 'alice', toUser: 'bob', toTeam: null, note: 'Bob knows the courier' } });
      expect((await audit(caseId, 'case.transferred')).map((e) => [e.actor, e.data.from, e.data.toUser])).toEqual([['alice', 'alice', 'bob']]);
    });

    it('makes teams of a brand with members, for managers only', async () => {
      expect((await t.as('agent').post('/teams', { brandId: 'acme', name: 'Billing' })).status).toBe(403);
      const made = await t.as('manager').post('/teams', { brandId: 'acme', name: 'Billing' });
      expect(made.status).toBe(201);
      expect(made.data).toMatchObject({ brandId: 'acme', name: 'Billing', members: [] });
      billing = made.data.id;
      expect((await t.as('manager').post('/teams', { brandId: 'acme', name: 'Billing' })).data.code).toBe('TEAM.NAME_TAKEN');
      expect((await t.as('manager').post('/teams', { brandId: 'nope', name: 'Billing' })).data.code).toBe('BRAND.NOT_FOUND');
      expect((await t.as('manager').post('/teams', { brandId: 'acme' })).data.fields.map((f: { field: string }) => f.field)).toEqual(['name']);

      expect((await t.as('agent').post(`/teams/${billing}/members`, { name: 'carol' })).status).toBe(403);
      expect((await t.as('manager').post(`/teams/${billing}/members`, { name: 'carol' })).data.members).toEqual(['carol']);
      expect((await t.as('manager').post(`/teams/${billing}/members`, { name: 'carol' })).data.members).toEqual(['carol']);
      expect((await t.as('manager').post(`/teams/${randomUUID()}/members`, { name: 'carol' })).data.code).toBe('TEAM.NOT_FOUND');
      expect((await t.as('approver').get('/teams')).data).toMatchObject([{ id: billing, name: 'Billing', members: ['carol'] }]);
      const actions = (await t.as('manager').get('/audit', { params: { brand: 'acme' } })).data.items.map((e: { action: string }) => e.action);
      expect(actions.filter((a: string) => a.startsWith('team.'))).toEqual(['team.created', 'team.member_added']);
    });

    it('hands the case to a team, where it waits unclaimed and shows in the team queue', async () => {
      const moved = await t.as('agent2').post(`/cases/${caseId}/transfer`, { toTeam: billing });
      expect(moved.status).toBe(200);
      expect(moved.data).toMatchObject({ claimedBy: null, team: { id: billing, name: 'Billing' }, transferCount: 2 });
      expect((await t.as('agent2').post(`/cases/${caseId}/release`)).data.code).toBe('CASE.NOT_HOLDER');
      expect(await queued({ team: billing })).toEqual([caseId]);
      expect(await queued({ team: randomUUID() })).toEqual([]);

      // A manager hands it on within the team: only to a member.
      expect((await t.as('manager').post(`/cases/${caseId}/transfer`, { toTeam: billing, toUser: 'alice' })).data.code).toBe('TEAM.NOT_MEMBER');
      const toCarol = await t.as('manager').post(`/cases/${caseId}/transfer`, { toTeam: billing, toUser: 'carol' });
      expect(toCarol.data).toMatchObject({ claimedBy: 'carol', team: { name: 'Billing' }, transferCount: 3 });
      const transfers = (await view(caseId)).timeline.filter((e: { type: string }) => e.type === 'transferred').map((e: Record<string, any>) => [e.actor, e.data.toUser, e.data.toTeam?.name ?? null]);
      expect(transfers).toEqual([
        ['alice', 'bob', null],
        ['bob', null, 'Billing'],
        ['maria', 'carol', 'Billing'],
      ]);
      expect((await t.as('manager').delete(`/teams/${billing}/members/carol`)).data.members).toEqual([]);
    });

    it('refuses a transfer that names nobody, a bad team id or an unknown team, and writes nothing', async () => {
      const nobody = await t.as('manager').post(`/cases/${caseId}/transfer`, { note: 'to whom?' });
      expect(nobody.status).toBe(400);
      expect(nobody.data.fields.map((f: { field: string }) => f.field)).toEqual(['toUser']);
      const badTeam = await t.as('manager').post(`/cases/${caseId}/transfer`, { toTeam: 'billing' });
      expect(badTeam.data.fields.map((f: { field: string }) => f.field)).toEqual(['toTeam']);
      expect((await t.as('manager').post(`/cases/${caseId}/transfer`, { toTeam: randomUUID() })).data.code).toBe('TEAM.NOT_FOUND');
      expect((await view(caseId)).transferCount).toBe(3);
    });
  });

  describe('holding a case', () => {
    it('lets the holder or a manager act, and claims a free case for the agent who acts first', async () => {
      const { caseId } = await complaint(mastodon.addAccount('henk'), '@acme the app charged me twice for one ticket and support is silent');
      const results = await Promise.allSettled(
        Array.from({ length: 20 }, (_, i) => db.transaction((m) => cases.assertHolder(caseId, caller(`agent-${i}`), m))),
      );
      const winners = results.filter((r) => r.status === 'fulfilled');
      expect(winners).toHaveLength(1);
      for (const r of results) if (r.status === 'rejected') expect((r.reason as NotCaseHolderError).code).toBe('CASE.NOT_HOLDER');
      const holder = (await view(caseId)).claimedBy;
      expect(holder).toMatch(/^agent-\d+$/);
      // A manager acts without taking the claim.
      await expect(db.transaction((m) => cases.assertHolder(caseId, caller('maria', 'manager'), m))).resolves.toMatchObject({ claimedBy: holder });
      await expect(db.transaction((m) => cases.assertHolder(caseId, caller('petra', 'approver'), m))).rejects.toMatchObject({ code: 'AUTH.BRAND' });
      expect((await audit(caseId, 'case.claimed')).map((e) => e.actor)).toEqual([holder]);
    });
  });

  describe('dismissing noise', () => {
    let dora: ImitationAccount;
    let first: Awaited<ReturnType<typeof complaint>>;
    let second: Awaited<ReturnType<typeof complaint>>;
    let resolved: string;

    beforeAll(async () => {
      dora = mastodon.addAccount('dora');
      first = await complaint(dora, '@acme your survey link is broken and does not work at all');
      second = await complaint(mastodon.addAccount('dirk'), '@acme the quiz page is broken and shows an error');
      resolved = (await complaint(mastodon.addAccount('rita'), '@acme my refund never arrived after I returned the shoes')).caseId;
      await t.as('agent').post(`/cases/${resolved}/resolve`, { note: 'Refunded', firstTimeFix: true });
    });

    it('changes nothing when one case is unknown, closed or held by a colleague', async () => {
      const ids = [first.caseId, second.caseId];
      const unknown = await t.as('agent').post('/cases/bulk/dismiss', { caseIds: [...ids, randomUUID()] });
      expect(unknown.status).toBe(404);
      expect(unknown.data.code).toBe('CASE.NOT_FOUND');
      const closed = await t.as('agent').post('/cases/bulk/dismiss', { caseIds: [...ids, resolved] });
      expect(closed.status).toBe(409);
      expect(closed.data).toMatchObject({ code: 'CASE.INVALID_STATE', status: 'resolved' });
      await t.as('agent2').post(`/cases/${second.caseId}/claim`);
      const held = await t.as('agent').post('/cases/bulk/dismiss', { caseIds: ids });
      expect(held.status).toBe(409);
      expect(held.data).toMatchObject({ code: 'CASE.ALREADY_CLAIMED', claimedBy: 'bob' });
      await t.as('agent2').post(`/cases/${second.caseId}/release`);

      expect((await t.as('agent').post('/cases/bulk/dismiss', { caseIds: ['nope'] })).data.fields[0].field).toBe('caseIds');
      expect((await t.as('agent').post('/cases/bulk/dismiss', { caseIds: [] })).data.fields[0].field).toBe('caseIds');
      expect((await t.as('agent').post('/cases/bulk/dismiss', { caseIds: [first.caseId, first.caseId] })).data.fields[0].field).toBe('caseIds');

      expect((await view(first.caseId)).status).toBe('open');
      expect((await view(second.caseId)).status).toBe('open');
      expect(await labels([first.postId, second.postId])).toEqual([]);
      expect(await audit(first.caseId, 'case.dismissed')).toEqual([]);
    });

    it('takes the cases out of the queue and labels their posts as not complaints for the brand model', async () => {
      const dismissed = await t.as('agent').post('/cases/bulk/dismiss', { caseIds: [first.caseId, second.caseId], reason: 'A marketing quiz, not a complaint' });
      expect(dismissed.status).toBe(200);
      expect(dismissed.data.items.map((c: Record<string, unknown>) => [c.id, c.status])).toEqual([
        [first.caseId, 'dismissed'],
        [second.caseId, 'dismissed'],
      ]);
      const ids = await queued();
      expect(ids).not.toContain(first.caseId);
      expect(ids).not.toContain(second.caseId);
      expect(await labels([first.postId, second.postId])).toEqual(
        [first.postId, second.postId].sort().map((postId) => ({ post_id: postId, is_complaint: false, labelled_by: 'alice' })),
      );
      const [entry] = await audit(first.caseId, 'case.dismissed');
      expect(entry).toMatchObject({ actor: 'alice', data: { reason: 'A marketing quiz, not a complaint', labelledNotComplaint: [first.postId] } });
      const c = await view(first.caseId);
      expect(c.timeline.map((e: { type: string }) => e.type)).toContain('dismissed');
      expect(c.sla.acknowledgement).toMatchObject({ running: false, metAt: null });
      expect((await t.as('agent').post('/cases/bulk/dismiss', { caseIds: [first.caseId] })).data.code).toBe('CASE.INVALID_STATE');
    });

    it('lets a later post on a dismissed thread open a case of its own only when it is a complaint', async () => {
      const thanks = mastodon.post(dora, '@acme thanks, the link works now', { inReplyToId: first.status.id, createdAt: clock.now() });
      await w.poll();
      expect((await view(first.caseId)).status).toBe('dismissed');
      expect((await queue(t)).map((c) => c.post.externalId)).not.toContain(thanks.id);
      expect((await cases.postsOf(first.caseId)).map((p) => p.externalId)).toEqual([first.status.id]);
      const later = await complaint(dora, '@acme now my order is missing and nobody answers my emails', first.status.id);
      expect(later.caseId).not.toBe(first.caseId);
      expect((await view(first.caseId)).status).toBe('dismissed');
    });
  });

  describe('merging', () => {
    it("merges a customer's cases all or nothing, moving posts and events to the case that stays", async () => {
      const mia = mastodon.addAccount('mia');
      const kept = await complaint(mia, '@acme my order arrived damaged and the box was open');
      const other = await complaint(mia, '@acme also the refund for my last order never came');
      const stranger = await complaint(mastodon.addAccount('noah'), '@acme my parcel was thrown over the fence by the driver and it broke');
      await t.as('agent').post(`/cases/${other.caseId}/claim`);

      const mixed = await t.as('agent').post('/cases/merge', { intoCaseId: kept.caseId, caseIds: [other.caseId, stranger.caseId] });
      expect(mixed.status).toBe(409);
      expect(mixed.data).toMatchObject({ code: 'CASE.NOT_SAME_CUSTOMER', caseId: stranger.caseId });
      const unknown = await t.as('agent').post('/cases/merge', { intoCaseId: kept.caseId, caseIds: [other.caseId, randomUUID()] });
      expect(unknown.status).toBe(404);
      const itself = await t.as('agent').post('/cases/merge', { intoCaseId: kept.caseId, caseIds: [kept.caseId] });
      expect(itself.status).toBe(400);
      expect(itself.data).toMatchObject({ code: 'CASE.MERGE_INTO_ITSELF', field: 'caseIds' });
      expect((await view(other.caseId)).status).toBe('open');
      expect((await cases.postsOf(other.caseId)).map((p) => p.id)).toEqual([other.postId]);
      expect(await audit(other.caseId, 'case.merged')).toEqual([]);

      const merged = await t.as('agent').post('/cases/merge', { intoCaseId: kept.caseId, caseIds: [other.caseId] });
      expect(merged.status).toBe(200);
      expect(merged.data.id).toBe(kept.caseId);
      const timeline = merged.data.timeline as Record<string, any>[];
      expect(timeline.filter((e) => e.type === 'post').map((e) => e.post.id)).toEqual([kept.postId, other.postId]);
      expect(timeline.find((e) => e.type === 'claimed')).toMatchObject({ actor: 'alice' });
      expect(timeline.find((e) => e.type === 'merged')!.data.cases).toEqual([{ id: other.caseId, reference: expect.stringMatching(/^C-\d+$/) }]);

      const gone = await view(other.caseId);
      expect(gone).toMatchObject({ status: 'merged', mergedIntoId: kept.caseId, claimedBy: null });
      expect(gone.timeline.map((e: { type: string }) => e.type)).toEqual(['merged']);
      expect(await queued()).not.toContain(other.caseId);
      expect((await audit(other.caseId, 'case.merged'))[0]).toMatchObject({ actor: 'alice', subject: kept.caseId });

      // Mia answers on the thread of the merged case: the answer joins the case that stayed.
      const answer = mastodon.post(mia, '@acme any news about the refund?', { inReplyToId: other.status.id, createdAt: clock.now() });
      await w.poll();
      expect((await cases.postsOf(kept.caseId)).map((p) => p.externalId)).toContain(answer.id);
    });

    it('merges the cases of two authors the customers part joined into one customer', async () => {
      const a = await complaint(mastodon.addAccount('sam'), '@acme my invoice is wrong and charges me twice');
      const b = await complaint(mastodon.addAccount('sam_work'), '@acme still charged twice on my invoice, this is terrible');
      expect((await t.as('agent').post('/cases/merge', { intoCaseId: a.caseId, caseIds: [b.caseId] })).data.code).toBe('CASE.NOT_SAME_CUSTOMER');
      // An agent links the second author to the first one's customer.
      const customer = (await view(a.caseId)).customer.id;
      const author = (await view(b.caseId)).customer.authorId;
      expect((await t.as('agent').post(`/customers/${customer}/authors`, { authorId: author })).status).toBeLessThan(300);
      const merged = await t.as('agent').post('/cases/merge', { intoCaseId: a.caseId, caseIds: [b.caseId] });
      expect(merged.status).toBe(200);
      expect((await view(b.caseId)).status).toBe('merged');
    });
  });
});
