import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { DataSource } from 'typeorm';
import { queue, workers } from '../support/flow.js';
import { MastodonImitation } from '../support/mastodon-imitation.js';
import { TestClock } from '../support/test-clock.js';
import { mastodonSource, startTestApp, type TestApp } from '../support/test-app.js';

describe('the audit log', () => {
  let mastodon: MastodonImitation;
  let t: TestApp;
  let clock: TestClock;
  let caseId: string;
  let complaintId: string;

  beforeAll(async () => {
    mastodon = await MastodonImitation.start();
    clock = new TestClock(new Date('2026-11-20T09:00:00Z'));
    t = await startTestApp(mastodonSource(mastodon.url), { clock, env: { T_MASTODON: mastodon.accessToken } });
    const anna = mastodon.addAccount('anna', { displayName: 'Anna' });
    complaintId = mastodon.post(anna, '@acme my parcel still has not arrived after three weeks', { createdAt: clock.now() }).id;
    const w = workers(t);
    await w.poll();
    [{ id: caseId }] = await queue(t);
    await t.as('agent').post(`/cases/${caseId}/claim`);
    clock.advance(60_000);
    await t.as('agent').post(`/cases/${caseId}/acknowledge`, { text: 'Sorry Anna, that is our fault. We are on it.' });
    clock.advance(60_000);
    await w.publish();
    clock.advance(60_000);
    await t.as('agent').post(`/cases/${caseId}/resolve`, { note: 'Re-sent by express', firstTimeFix: true });
  });

  afterAll(async () => {
    await t?.close();
    await mastodon?.stop();
  });

  it('records who claimed, wrote, published and resolved, with the text as published and the time', async () => {
    const response = await t.as('manager').get('/audit', { params: { caseId } });
    expect(response.status).toBe(200);
    const entries = response.data.items.map((e: Record<string, any>) => [e.action, e.actor]);
    expect(entries).toEqual([
      ['case.claimed', 'alice'],
      ['reply.written', 'alice'],
      ['reply.published', 'paradox'],
      ['case.resolved', 'alice'],
      ['reply.written', 'alice'],
    ]);
    const published = response.data.items.find((e: Record<string, any>) => e.action === 'reply.published');
    const [status] = mastodon.repliesTo(complaintId);
    expect(published.data).toMatchObject({ kind: 'acknowledgement', platform: 'mastodon', externalId: status.id, text: 'Sorry Anna, that is our fault. We are on it.' });
    expect(new Date(published.at).toISOString()).toBe('2026-11-20T09:02:00.000Z');
  });

  it('reads a period, and an action within it', async () => {
    const period = await t.as('manager').get('/audit', { params: { from: '2026-11-20T09:01:00Z', to: '2026-11-20T09:03:00Z' } });
    // From inclusive, to exclusive: the resolution at 09:03 falls outside.
    expect(period.data.items.map((e: { action: string }) => e.action)).toEqual(['reply.written', 'reply.published']);
    const resolved = await t.as('manager').get('/audit', { params: { action: 'case.resolved' } });
    expect(resolved.data.total).toBe(1);
    const bad = await t.as('manager').get('/audit', { params: { from: 'yesterday' } });
    expect(bad.status).toBe(400);
    expect(bad.data.fields[0].field).toBe('from');
  });

  it('is refused to agents and approvers', async () => {
    expect((await t.as('agent').get('/audit')).status).toBe(403);
    expect((await t.as('approver').get('/audit')).status).toBe(403);
  });

  it('cannot be changed or deleted, even with SQL', async () => {
    const db = t.app.get(DataSource);
    await expect(db.query(`UPDATE audit_entry SET actor = 'mallory'`)).rejects.toThrow(/append-only/);
    await expect(db.query(`DELETE FROM audit_entry`)).rejects.toThrow(/append-only/);
    await expect(db.query(`TRUNCATE audit_entry`)).rejects.toThrow(/append-only/);
    const [{ count }] = await db.query(`SELECT count(*)::int AS count FROM audit_entry`);
    expect(count).toBe(5);
  });
});
