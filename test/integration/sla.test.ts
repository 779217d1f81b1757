import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { DataSource } from 'typeorm';
import { CasesService } from '../../src/cases/cases.service.js';
import { SlaBreachesService } from '../../src/cases/sla-breaches.service.js';
import { queue, workers } from '../support/flow.js';
import { type ImitationAccount, MastodonImitation } from '../support/mastodon-imitation.js';
import { TestClock } from '../support/test-clock.js';
import { mastodonSource, startTestApp, type TestApp } from '../support/test-app.js';

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const at = (iso: string) => new Date(iso);
const OFFICE = ['09:00-17:00'];

describe('the SLA clocks', () => {
  let mastodon: MastodonImitation;
  let t: TestApp;
  let clock: TestClock;
  let w: ReturnType<typeof workers>;
  let sweeper: SlaBreachesService;
  let db: DataSource;
  // Anna's case opens on Monday 2 November 2026 at 10:00 in Amsterdam (09:00 UTC).
  let anna: ImitationAccount;
  let annaPostId: string;
  let annaCase: string;

  const view = async (id: string) => (await t.as('agent').get(`/cases/${id}`)).data;
  const breachEvents = async (id: string) =>
    (await db.query(`SELECT at, data FROM case_event WHERE case_id = $1 AND type = 'sla_breached' ORDER BY seq`, [id])) as { at: Date; data: Record<string, string> }[];

  async function complaint(account: ImitationAccount, text: string) {
    const status = mastodon.post(account, text, { createdAt: clock.now() });
    await w.poll();
    const item = (await queue(t)).find((c) => c.post.externalId === status.id);
    if (!item) throw new Error(`no case opened for "${text}"`);
    return { status, caseId: item.id as string };
  }

  beforeAll(async () => {
    mastodon = await MastodonImitation.start();
    clock = new TestClock(at('2026-11-02T09:00:00Z'));
    const file = mastodonSource(mastodon.url);
    const hours = { timeZone: 'Europe/Amsterdam', monday: OFFICE, tuesday: OFFICE, wednesday: OFFICE, thursday: OFFICE, friday: OFFICE };
    file.brands[0].sla = { ackMinutes: 60, firstResponseMinutes: 240, resolutionMinutes: 1440, businessHours: hours } as typeof file.brands[0]['sla'];
    t = await startTestApp(file, { clock, env: { T_MASTODON: mastodon.accessToken } });
    w = workers(t);
    sweeper = t.app.get(SlaBreachesService);
    db = t.app.get(DataSource);
    anna = mastodon.addAccount('anna', { displayName: 'Anna' });
    const opened = await complaint(anna, '@acme my parcel still has not arrived after three weeks and nobody answers');
    annaPostId = opened.status.id;
    annaCase = opened.caseId;
  });

  afterAll(async () => {
    await t?.close();
    await mastodon?.stop();
  });

  it('shows each milestone with its due time in business hours and the business time left', async () => {
    const c = await view(annaCase);
    expect(c.sla.startedAt).toBe('2026-11-02T09:00:00.000Z');
    expect(c.sla.acknowledgement).toMatchObject({ dueAt: '2026-11-02T10:00:00.000Z', timeLeftMs: HOUR, running: true, paused: false, breached: false });
    expect(c.sla.firstResponse).toMatchObject({ dueAt: '2026-11-02T13:00:00.000Z', timeLeftMs: 4 * HOUR });
    // A day of business time from Monday 10:00 is Thursday 10:00.
    expect(c.sla.resolution).toMatchObject({ dueAt: '2026-11-05T09:00:00.000Z', timeLeftMs: 24 * HOUR });
    expect(c.sla.nextDueAt).toBe('2026-11-02T10:00:00.000Z');
    expect(c.ackDueAt).toBe('2026-11-02T10:00:00.000Z');

    clock.advance(25 * MINUTE);
    expect((await view(annaCase)).sla.acknowledgement).toMatchObject({ timeLeftMs: 35 * MINUTE, agentMs: 25 * MINUTE, approvalWaitMs: 0 });
  });

  it('breaches the acknowledgement when 61 minutes pass without a public reply, and two sweeps at once record it once', async () => {
    clock.set(at('2026-11-02T10:00:00Z'));
    expect((await view(annaCase)).sla.acknowledgement).toMatchObject({ breached: false, timeLeftMs: 0 });
    expect(await sweeper.sweep()).toBe(0);

    clock.set(at('2026-11-02T10:01:00Z'));
    expect((await view(annaCase)).sla.acknowledgement).toMatchObject({ breached: true, breachedAt: '2026-11-02T10:00:00.000Z', timeLeftMs: -MINUTE });
    const [first, second] = await Promise.all([sweeper.sweep(), sweeper.sweep()]);
    expect(first + second).toBe(1);
    expect(await sweeper.sweep()).toBe(0);

    const events = await breachEvents(annaCase);
    expect(events).toHaveLength(1);
    expect(events[0].at.toISOString()).toBe('2026-11-02T10:00:00.000Z');
    expect(events[0].data).toMatchObject({ milestone: 'acknowledgement', recordedAt: '2026-11-02T10:01:00.000Z' });
    const audit = await t.as('manager').get('/audit', { params: { caseId: annaCase, action: 'case.sla_breached' } });
    expect(audit.data.items).toHaveLength(1);
    expect(audit.data.items[0]).toMatchObject({ actor: 'paradox', data: { milestone: 'acknowledgement', breachedAt: '2026-11-02T10:00:00.000Z' } });
    expect((await view(annaCase)).timeline.filter((e: { type: string }) => e.type === 'sla_breached')).toHaveLength(1);
  });

  it('pauses the clocks outside business hours', async () => {
    // Monday 17:30 in Amsterdam: seven of the resolution's 24 business hours are gone.
    clock.set(at('2026-11-02T16:30:00Z'));
    const evening = await view(annaCase);
    expect(evening.sla.businessHoursNow).toBe(false);
    expect(evening.sla.resolution).toMatchObject({ running: true, paused: true, timeLeftMs: 17 * HOUR });
    // Tuesday 08:00: nothing more has gone.
    clock.set(at('2026-11-03T07:00:00Z'));
    expect((await view(annaCase)).sla.resolution).toMatchObject({ paused: true, timeLeftMs: 17 * HOUR });
  });

  it("meets the acknowledgement with the first published reply and the first response with the next that moves the problem on, the approver's wait apart", async () => {
    // Tuesday 09:30 in Amsterdam.
    clock.set(at('2026-11-03T08:30:00Z'));
    expect((await t.as('agent').post(`/cases/${annaCase}/acknowledge`, { text: 'Sorry Anna, we are on it.' })).status).toBe(201);
    expect(await w.publish()).toBe(1);
    const acknowledged = (await view(annaCase)).sla;
    // Monday 10:00-17:00 and Tuesday 09:00-09:30.
    expect(acknowledged.acknowledgement).toMatchObject({ metAt: '2026-11-03T08:30:00.000Z', running: false, breached: true, agentMs: 7.5 * HOUR, approvalWaitMs: 0 });
    expect(acknowledged.firstResponse).toMatchObject({ metAt: null, running: true });

    // The replies part calls this when a reply that waited for an approver is published.
    const cases = t.app.get(CasesService);
    const reply = { kind: 'question', submittedAt: at('2026-11-03T08:40:00Z'), approvedAt: at('2026-11-03T09:10:00Z') };
    await db.transaction((m) => cases.markReplied(annaCase, reply, at('2026-11-03T09:15:00Z'), m));
    clock.set(at('2026-11-03T09:20:00Z'));
    const responded = (await view(annaCase)).sla.firstResponse;
    // From Monday 10:00 to Tuesday 10:15: 8 h 15 min of business time, 30 min of it with the approver.
    expect(responded).toMatchObject({ metAt: '2026-11-03T09:15:00.000Z', breached: true, approvalWaitMs: 30 * MINUTE, agentMs: 7.75 * HOUR });

    // Met late with no sweep in between: the sweep records it, at its due time.
    expect(await sweeper.sweep()).toBe(1);
    expect((await breachEvents(annaCase)).map((e) => [e.data.milestone, e.at.toISOString()])).toEqual([
      ['acknowledgement', '2026-11-02T10:00:00.000Z'],
      ['firstResponse', '2026-11-02T13:00:00.000Z'],
    ]);
  });

  it('stops the clocks when the case is resolved, recording a breach no sweep saw', async () => {
    clock.set(at('2026-11-03T09:30:00Z'));
    const tom = mastodon.addAccount('tom', { displayName: 'Tom' });
    const { caseId } = await complaint(tom, '@acme the invoice charged me twice and the refund never came');
    clock.advance(61 * MINUTE);
    const resolved = await t.as('agent').post(`/cases/${caseId}/resolve`, { note: 'Refunded the double charge', firstTimeFix: true });
    expect(resolved.status).toBe(200);
    const c = await view(caseId);
    expect(c.sla.acknowledgement).toMatchObject({ metAt: null, running: false, breached: true, breachedAt: '2026-11-03T10:30:00.000Z' });
    // The resolution counts as the first response when none came before it.
    expect(c.sla.firstResponse).toMatchObject({ metAt: '2026-11-03T10:31:00.000Z', breached: false, running: false });
    expect(c.sla.resolution).toMatchObject({ metAt: '2026-11-03T10:31:00.000Z', breached: false, running: false, paused: false });
    expect((await breachEvents(caseId)).map((e) => e.data.milestone)).toEqual(['acknowledgement']);
    expect(await sweeper.sweep()).toBe(0);
    // An hour later, in business hours: a stopped clock has nothing more to record or count.
    clock.advance(HOUR);
    expect(await sweeper.sweep()).toBe(0);
    expect((await view(caseId)).sla.resolution.timeLeftMs).toBe(c.sla.resolution.timeLeftMs);
  });

  it("starts every clock again from the post that reopens a case, keeping the first round's breaches", async () => {
    // Thursday 5 November, 11:00 in Amsterdam: Anna's case was resolved and she complains again.
    clock.set(at('2026-11-05T09:00:00Z'));
    expect((await t.as('agent').post(`/cases/${annaCase}/resolve`, { note: 'Sent a new parcel', firstTimeFix: true })).status).toBe(200);
    clock.set(at('2026-11-05T10:00:00Z'));
    mastodon.post(anna, '@acme the new parcel is broken too, this is terrible', { inReplyToId: annaPostId, createdAt: clock.now() });
    await w.poll();
    const c = await view(annaCase);
    expect(c.status).toBe('open');
    expect(c.sla.startedAt).toBe('2026-11-05T10:00:00.000Z');
    expect(c.sla.acknowledgement).toMatchObject({ dueAt: '2026-11-05T11:00:00.000Z', metAt: null, breached: false, running: true, timeLeftMs: HOUR });
    expect(c.sla.firstResponse).toMatchObject({ metAt: null, breached: false, running: true });
    expect(c.sla.resolution).toMatchObject({ metAt: null, breached: false, running: true });
    expect((await breachEvents(annaCase)).map((e) => e.data.milestone)).toEqual(['acknowledgement', 'firstResponse']);

    clock.set(at('2026-11-05T11:01:00Z'));
    expect(await sweeper.sweep()).toBe(1);
    expect((await breachEvents(annaCase)).map((e) => [e.data.milestone, e.at.toISOString()])).toEqual([
      ['acknowledgement', '2026-11-02T10:00:00.000Z'],
      ['firstResponse', '2026-11-02T13:00:00.000Z'],
      ['acknowledgement', '2026-11-05T11:00:00.000Z'],
    ]);
  });

  it('orders the queue by priority, then the nearest due time of a milestone not met yet', async () => {
    // Wednesday 11 November, 10:00 in Amsterdam.
    clock.set(at('2026-11-11T09:00:00Z'));
    const early = await complaint(mastodon.addAccount('erik'), '@acme my order arrived broken and support never called back');
    clock.advance(10 * MINUTE);
    const late = await complaint(mastodon.addAccount('lotte'), '@acme my delivery is two weeks late and nobody answers');
    await db.query(`UPDATE "case" SET priority = 5 WHERE id = ANY($1::uuid[])`, [[early.caseId, late.caseId]]);
    const order = async () => (await queue(t)).map((c) => c.id).filter((id) => id === early.caseId || id === late.caseId);
    expect(await order()).toEqual([early.caseId, late.caseId]);

    // Acknowledged, the early case's next due time is its first response, four hours on.
    await t.as('agent').post(`/cases/${early.caseId}/acknowledge`, {});
    await w.publish();
    expect(await order()).toEqual([late.caseId, early.caseId]);
    expect((await queue(t)).find((c) => c.id === early.caseId)!.sla.nextDueAt).toBe('2026-11-11T13:00:00.000Z');

    await db.query(`UPDATE "case" SET priority = 6 WHERE id = $1`, [early.caseId]);
    expect(await order()).toEqual([early.caseId, late.caseId]);
  });
});
