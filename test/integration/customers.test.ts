import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { DataSource } from 'typeorm';
import type { ResolvedSource } from '../../src/config/app-config.js';
import { dataSourceOptions } from '../../src/database/data-source-options.js';
import { IngestService } from '../../src/sources/ingest.service.js';
import type { FetchedAuthor, FetchedPost } from '../../src/sources/social-connector.js';
import { TestClock } from '../support/test-clock.js';
import { createTestDatabase, type TestDatabase } from '../support/test-database.js';
import { mastodonSource, startTestApp, type TestApp } from '../support/test-app.js';

const START = new Date('2026-11-02T09:00:00Z');
const MINUTE = 60_000;
const DAY = 86_400_000;

// The same person on four channels, and two strangers.
const anna = {
  mastodon: { externalId: 'm-anna', handle: '@anna@mastodon.example', displayName: 'Anna de Vries', followers: 120 },
  bluesky: { externalId: 'did:plc:anna', handle: '@anna.bsky.social', displayName: 'anna de vries', followers: 40 },
  x: { externalId: 'x-anna', handle: '@anna', displayName: null, followers: 15_000 },
};
const annabel = { externalId: 't2_annabel', handle: 'u/annabel', displayName: null, followers: null };
// Cases that get resolved are on Mastodon: the follow-up is queued for the configured source.
const tom = { externalId: 'm-tom', handle: '@tom_b', displayName: 'Tom', followers: 10 };

const DELIVERY = '@acme my parcel still has not arrived after three weeks, this is ridiculous';
const DELIVERY_AGAIN = '@acme the replacement parcel never arrived either, still waiting for my delivery';
const REFUND = '@acme my refund has still not been paid after two weeks, really disappointed';
const OUTAGE = '@acme the app keeps crashing when I try to pay, broken again';

describe('customers across channels', () => {
  let t: TestApp;
  let clock: TestClock;
  let db: DataSource;
  let n = 0;

  const source = (platform: string): ResolvedSource => ({ ...t.config.sources[0], id: `acme-${platform}` });
  // A post as a connector hands it over, on its own thread unless it answers one.
  const ingest = (platform: string, author: FetchedAuthor, text: string, inReplyTo: string | null = null) => {
    const externalId = `${platform}-${++n}`;
    const post: FetchedPost = { externalId, url: null, text, language: 'en', visibility: 'public', postedAt: clock.now(), inReplyToExternalId: inReplyTo, author, raw: { id: externalId } };
    return t.app.get(IngestService).ingest(source(platform), platform, [post], {}, '@acme').then((r) => ({ ...r, externalId }));
  };
  const caseOf = async (id: string) => (await t.as('agent').get(`/cases/${id}`)).data;
  const authorId = async (platform: string, externalId: string) =>
    (await db.query(`SELECT id FROM author WHERE platform = $1 AND external_id = $2`, [platform, externalId]))[0].id as string;

  let annaCustomer: string;
  let delivery: string;
  let refund: string;

  beforeAll(async () => {
    clock = new TestClock(START);
    t = await startTestApp(mastodonSource('http://127.0.0.1:9'), { clock, env: { T_MASTODON: 'unused' } });
    db = t.app.get(DataSource);
  });

  afterAll(async () => {
    await t?.close();
  });

  it('gives the author of every case a customer at intake, with one statement for the page', async () => {
    const opened = await ingest('mastodon', anna.mastodon, DELIVERY);
    [delivery] = opened.opened;
    const c = await caseOf(delivery);
    annaCustomer = c.customer.id;
    expect(c.customer).toMatchObject({ id: expect.any(String), handle: '@anna@mastodon.example', earlierFailures: 0, repeatFailure: false, notesCount: 0 });
    expect(c.repeatFailure).toBe(false);

    const profile = await t.as('approver').get(`/customers/${annaCustomer}`);
    expect(profile.status).toBe(200);
    expect(profile.data).toMatchObject({ brandId: 'acme', displayName: 'Anna de Vries', authors: [{ platform: 'mastodon', handle: '@anna@mastodon.example', linkedBy: 'paradox' }] });
    expect(profile.data.cases).toEqual([expect.objectContaining({ id: delivery, status: 'open', topic: 'delivery', repeatFailure: false, firstTimeFix: expect.objectContaining({ claimed: null, verdict: null }) })]);
    expect(profile.data.posts).toMatchObject({ total: 1, items: [{ text: DELIVERY, platform: 'mastodon', caseId: delivery }] });

    // A post that joins the case, and a post that opens none, make no customer of their own.
    await ingest('mastodon', anna.mastodon, '@acme any news?', opened.externalId);
    await ingest('x', anna.x, '@acme love the new store, great prices');
    const [{ customers }] = await db.query(`SELECT count(*)::int AS customers FROM customer`);
    expect(customers).toBe(1);
  });

  it('keeps the same person on another channel apart until an agent links them, and suggests the link', async () => {
    clock.advance(DAY);
    [refund] = (await ingest('bluesky', anna.bluesky, REFUND)).opened;
    await ingest('reddit', annabel, '@acme where can I find the opening hours of the Utrecht store?');
    const separate = await caseOf(refund);
    expect(separate.customer.id).not.toBe(annaCustomer);
    // Not linked, so no earlier failure: the same handle alone proves nothing.
    expect(separate).toMatchObject({ repeatFailure: false, customer: { earlierFailures: 0 } });

    const suggestions = await t.as('agent').get(`/customers/${annaCustomer}/suggestions`);
    expect(suggestions.status).toBe(200);
    expect(suggestions.data.rule).toContain('same local name');
    expect(suggestions.data.items.map((s: Record<string, any>) => [s.author.handle, s.localName, s.sameDisplayName, s.currentCustomerId])).toEqual([
      ['@anna.bsky.social', 'anna', true, separate.customer.id],
      ['@anna', 'anna', false, null],
    ]);
    const [{ links }] = await db.query(`SELECT count(*)::int AS links FROM customer_author WHERE customer_id = $1`, [annaCustomer]);
    expect(links).toBe(1);
  });

  it("links an author with its cases into the profile, and the profile shows every channel's posts and cases", async () => {
    const bluesky = await authorId('bluesky', anna.bluesky.externalId);
    const emptied = (await caseOf(refund)).customer.id;
    const linked = await t.as('agent').post(`/customers/${annaCustomer}/authors`, { authorId: bluesky });
    expect(linked.status).toBe(201);
    expect(linked.data.authors.map((a: { platform: string }) => a.platform)).toEqual(['bluesky', 'mastodon']);
    expect(linked.data.cases.map((c: { id: string }) => c.id)).toEqual([refund, delivery]);
    expect(linked.data.posts.total).toBe(3);
    expect(linked.data.failuresBefore).toEqual([expect.objectContaining({ id: delivery, withinRepeatWindow: true })]);
    // The customer the author left had nothing else: it merged into this one.
    expect((await t.as('agent').get(`/customers/${emptied}`)).status).toBe(404);
    // Linked afterwards, the refund case now follows an earlier failure: it escalates too.
    expect(await caseOf(refund)).toMatchObject({ repeatFailure: true, customer: { id: annaCustomer, earlierFailures: 1 } });

    const again = await t.as('agent').post(`/customers/${annaCustomer}/authors`, { authorId: bluesky });
    expect(again.status).toBe(409);
    expect(again.data.code).toBe('CUSTOMER.ALREADY_LINKED');
    const unknown = await t.as('agent').post(`/customers/${annaCustomer}/authors`, { authorId: '00000000-0000-4000-8000-000000000000' });
    expect(unknown.status).toBe(404);
    expect(unknown.data.code).toBe('AUTHOR.NOT_FOUND');
    const bad = await t.as('agent').post(`/customers/${annaCustomer}/authors`, { authorId: 'anna' });
    expect(bad.status).toBe(400);
    expect(bad.data.fields[0].field).toBe('authorId');
    expect((await t.as('approver').post(`/customers/${annaCustomer}/authors`, { authorId: bluesky })).status).toBe(403);
    expect((await t.as('agent').get('/customers/00000000-0000-4000-8000-000000000000')).data.code).toBe('CUSTOMER.NOT_FOUND');

    const audit = await t.as('manager').get('/audit', { params: { action: 'customer.linked' } });
    expect(audit.data.items).toEqual([expect.objectContaining({ actor: 'alice', subject: `customer:${annaCustomer}`, data: expect.objectContaining({ authorId: bluesky, merged: true, casesMoved: 1 }) })]);
  });

  it('flags the next complaint of a customer who failed before, on another channel, escalates it and tells the managers', async () => {
    clock.advance(2 * DAY);
    const [again] = (await ingest('bluesky', anna.bluesky, OUTAGE)).opened;
    const c = await caseOf(again);
    expect(c).toMatchObject({ repeatFailure: true, customer: { id: annaCustomer, repeatFailure: true, earlierFailures: 2 } });
    const repeat = c.priorityWhy.find((f: { factor: string }) => f.factor === 'repeat_failure');
    expect(repeat).toMatchObject({ points: 2 });
    expect(repeat.why).toMatch(/C-\d+, C-\d+/);
    expect(c.priorityWhy.reduce((sum: number, f: { points: number }) => sum + f.points, 0)).toBe(c.priority);

    const inbox = await t.as('manager').get('/notifications');
    expect(inbox.status).toBe(200);
    expect(inbox.data.unread).toBe(2);
    // Newest first: the complaint taken in now, then the case flagged when its author was linked.
    expect(inbox.data.items.map((i: Record<string, any>) => [i.kind, i.caseId])).toEqual([
      ['repeat_failure', again],
      ['repeat_failure', refund],
    ]);
    expect(inbox.data.items[0].data).toMatchObject({ customerId: annaCustomer, earlier: [{ caseId: refund }, { caseId: delivery }], count: 2 });
    expect((await t.as('agent').get('/notifications')).status).toBe(403);

    const read = await t.as('manager').post(`/notifications/${inbox.data.items[0].id}/read`);
    expect(read.status).toBe(200);
    expect(read.data).toMatchObject({ readBy: 'maria', readAt: clock.now().toISOString() });
    const after = await t.as('manager').get('/notifications', { params: { unread: true } });
    expect(after.data).toMatchObject({ unread: 1, items: [{ caseId: refund }] });
    expect((await t.as('manager').post('/notifications/00000000-0000-4000-8000-000000000000/read')).data.code).toBe('NOTIFICATION.NOT_FOUND');
  });

  it('keeps notes on cases and customers as plain text, newest first, for colleagues', async () => {
    const onCase = await t.as('agent').post(`/cases/${delivery}/notes`, { text: 'Called her <b>twice</b> & promised a callback\nby Friday' });
    expect(onCase.status).toBe(201);
    clock.advance(MINUTE);
    const onCustomer = await t.as('agent2').post(`/customers/${annaCustomer}/notes`, { text: '<script>alert(1)</script> prefers e-mail' });
    expect(onCustomer.status).toBe(201);

    const view = await t.as('approver').get(`/cases/${delivery}`);
    expect(view.headers['content-type']).toMatch(/^application\/json/);
    expect(view.data.notes.map((n: Record<string, any>) => [n.about, n.writtenBy, n.text])).toEqual([
      ['customer', 'bob', '<script>alert(1)</script> prefers e-mail'],
      ['case', 'alice', 'Called her <b>twice</b> & promised a callback\nby Friday'],
    ]);
    expect(view.data.customer.notesCount).toBe(2);
    // Another case of the customer shows the customer's note, not the first case's own.
    const refundView = await caseOf(refund);
    expect(refundView.notes.map((n: { about: string }) => n.about)).toEqual(['customer']);
    const profile = await t.as('agent').get(`/customers/${annaCustomer}`);
    expect(profile.data.notes.map((n: Record<string, any>) => [n.about, n.caseReference])).toEqual([
      ['customer', null],
      ['case', view.data.reference],
    ]);

    const empty = await t.as('agent').post(`/cases/${delivery}/notes`, { text: '' });
    expect(empty.status).toBe(400);
    expect(empty.data.fields[0].field).toBe('text');
    expect((await t.as('agent').post('/cases/00000000-0000-4000-8000-000000000000/notes', { text: 'x' })).data.code).toBe('CASE.NOT_FOUND');
    expect((await t.as('agent').post('/customers/00000000-0000-4000-8000-000000000000/notes', { text: 'x' })).data.code).toBe('CUSTOMER.NOT_FOUND');
    expect((await t.as('approver').post(`/cases/${delivery}/notes`, { text: 'x' })).status).toBe(403);
    const audit = await t.as('manager').get('/audit', { params: { action: 'note.added' } });
    expect(audit.data.items.map((e: Record<string, any>) => [e.actor, e.caseId])).toEqual([
      ['alice', delivery],
      ['bob', null],
    ]);
  });

  it('orders the queue by the priority the case view shows, the time left included', async () => {
    // The oldest cases are overdue now; a new one has its hour.
    const [fresh] = (await ingest('mastodon', tom, DELIVERY_AGAIN)).opened;
    const items = (await t.as('agent').get('/cases')).data.items as Record<string, any>[];
    const priorities = items.map((i) => i.priority);
    expect(priorities).toEqual([...priorities].sort((a, b) => b - a));
    const overdue = items.find((i) => i.id === delivery)!;
    expect(overdue.priorityWhy).toContainEqual(expect.objectContaining({ factor: 'time_left', points: 2 }));
    expect(items.find((i) => i.id === fresh)!.priorityWhy.map((f: { factor: string }) => f.factor)).not.toContain('time_left');
    for (const i of items) expect(i.priorityWhy.reduce((sum: number, f: { points: number }) => sum + f.points, 0)).toBe(i.priority);

    // Within the last 15 minutes the fresh case gains a point; the stored priority stays as it was.
    const [{ priority: stored }] = await db.query(`SELECT priority FROM "case" WHERE id = $1`, [fresh]);
    clock.advance(50 * MINUTE);
    const later = (await t.as('agent').get('/cases')).data.items.find((i: { id: string }) => i.id === fresh);
    expect(later.priority).toBe(Math.min(8, stored + 1));
    expect(later.priorityWhy).toContainEqual({ factor: 'time_left', points: 1, why: '10 min left to the acknowledgement' });
  });

  it('decides the first-time fix on the clock: pending, then no after a new complaint on the topic, yes after a quiet window', async () => {
    await t.as('agent').post(`/cases/${delivery}/resolve`, { note: 'Sent a new parcel by express', firstTimeFix: true });
    const [tomCase] = (await db.query(`SELECT c.id FROM "case" c JOIN author a ON a.id = c.author_id WHERE a.external_id = $1`, [tom.externalId])) as { id: string }[];
    await t.as('agent').post(`/cases/${tomCase.id}/resolve`, { note: 'Courier found the parcel', firstTimeFix: false });
    const resolvedAt = clock.now();
    expect((await caseOf(delivery)).firstTimeFix).toMatchObject({ claimed: true, verdict: 'pending', windowEndsAt: new Date(resolvedAt.getTime() + 14 * DAY).toISOString() });

    // A complaint on another topic does not count against it.
    clock.advance(5 * DAY);
    await ingest('bluesky', anna.bluesky, '@acme you charged me twice for my order and I still have no refund');
    expect((await caseOf(delivery)).firstTimeFix.verdict).toBe('pending');

    // Ten days on, Anna complains about a delivery again, on Bluesky, on a new thread.
    clock.advance(5 * DAY);
    await ingest('bluesky', anna.bluesky, DELIVERY_AGAIN);
    const missed = await caseOf(delivery);
    expect(missed.firstTimeFix).toMatchObject({ claimed: true, verdict: 'no', why: [expect.stringContaining('a new complaint on delivery')] });

    clock.advance(4 * DAY);
    expect((await caseOf(tomCase.id)).firstTimeFix).toMatchObject({ claimed: false, verdict: 'yes' });
    // A complaint after the window changes nothing.
    await ingest('mastodon', tom, DELIVERY);
    expect((await caseOf(tomCase.id)).firstTimeFix.verdict).toBe('yes');
  });

  it('counts a transfer against the first-time fix when the case is resolved', async () => {
    const [c] = (await ingest('mastodon', { ...tom, externalId: 'm-tom-2', handle: '@tom_c' }, REFUND)).opened;
    await db.query(`INSERT INTO case_event (case_id, at, type, actor, data) VALUES ($1, $2, 'transferred', 'alice', '{"to": "bob"}')`, [c, clock.now()]);
    await t.as('agent2').post(`/cases/${c}/resolve`, { note: 'Refunded', firstTimeFix: true });
    expect((await caseOf(c)).firstTimeFix).toMatchObject({ claimed: true, verdict: 'no', why: ['transferred once'] });
  });

  it('keeps the miss when the same page also adds a post to the resolved case', async () => {
    const lena = { externalId: 'm-lena', handle: '@lena', displayName: 'Lena', followers: 5 };
    const first = await ingest('mastodon', lena, DELIVERY);
    const [c] = first.opened;
    await t.as('agent').post(`/cases/${c}/resolve`, { note: 'Re-sent', firstTimeFix: true });
    clock.advance(DAY);
    const thanks: FetchedPost = { externalId: 'lena-thanks', url: null, text: '@acme thanks for the quick answer', language: 'en', visibility: 'public', postedAt: clock.now(), inReplyToExternalId: first.externalId, author: lena, raw: {} };
    const again: FetchedPost = { ...thanks, externalId: 'lena-again', text: DELIVERY_AGAIN, inReplyToExternalId: null };
    const page = await t.app.get(IngestService).ingest(source('mastodon'), 'mastodon', [thanks, again], {}, '@acme');
    expect(page.joined).toEqual([c]);
    expect((await caseOf(c)).firstTimeFix).toMatchObject({ verdict: 'no', why: [expect.stringContaining('a new complaint on delivery')] });
  });

  it('does not flag a complaint whose earlier failures are older than the window', async () => {
    clock.advance(91 * DAY);
    const [late] = (await ingest('mastodon', anna.mastodon, OUTAGE)).opened;
    expect(await caseOf(late)).toMatchObject({ repeatFailure: false, customer: { id: annaCustomer } });
    expect((await caseOf(late)).priorityWhy.map((f: { factor: string }) => f.factor)).not.toContain('repeat_failure');
  });

  it('unlinks an author into a customer of its own, with its cases, and keeps the last author in place', async () => {
    const bluesky = await authorId('bluesky', anna.bluesky.externalId);
    const mastodon = await authorId('mastodon', anna.mastodon.externalId);
    const out = await t.as('agent').delete(`/customers/${annaCustomer}/authors/${bluesky}`);
    expect(out.status).toBe(200);
    expect(out.data).toMatchObject({ authorId: bluesky, from: annaCustomer, customerId: expect.any(String) });
    const own = await t.as('agent').get(`/customers/${out.data.customerId}`);
    expect(own.data.authors.map((a: { handle: string }) => a.handle)).toEqual(['@anna.bsky.social']);
    expect(own.data.cases.every((c: { id: string }) => c.id !== delivery)).toBe(true);
    expect((await caseOf(refund)).customer.id).toBe(out.data.customerId);

    expect((await t.as('agent').delete(`/customers/${annaCustomer}/authors/${bluesky}`)).data.code).toBe('CUSTOMER.AUTHOR_NOT_LINKED');
    const last = await t.as('agent').delete(`/customers/${annaCustomer}/authors/${mastodon}`);
    expect(last.status).toBe(409);
    expect(last.data.code).toBe('CUSTOMER.LAST_AUTHOR');
    const audit = await t.as('manager').get('/audit', { params: { action: 'customer.unlinked' } });
    expect(audit.data.items).toEqual([expect.objectContaining({ actor: 'alice', data: expect.objectContaining({ authorId: bluesky, to: out.data.customerId }) })]);
  });
});

describe('the customers migration', () => {
  let store: TestDatabase;
  let ds: DataSource;

  beforeAll(async () => {
    store = await createTestDatabase();
    ds = await new DataSource(dataSourceOptions(store.url, 1)).initialize();
  });

  afterAll(async () => {
    await ds?.destroy();
    await store?.stop();
  });

  it('gives the cases already there the customer intake would have made, and their first-time fix verdict', async () => {
    // Back to just before the customers migration, whatever came after it.
    while ((await ds.query(`SELECT name FROM migrations ORDER BY id DESC LIMIT 1`))[0].name !== 'QueueSlaTeamsAndBulkActions1796176345185') {
      await ds.undoLastMigration({ transaction: 'each' });
    }
    const [author] = await ds.query(`INSERT INTO author (platform, external_id, handle, display_name) VALUES ('mastodon', 'old', '@old', 'Olga') RETURNING id`);
    const insertCase = async (root: string, extra: string) => {
      const [post] = await ds.query(
        `INSERT INTO post (brand_id, source_id, platform, external_id, author_id, text, visibility, posted_at, fetched_at, root_external_id, raw)
         VALUES ('acme', 's', 'mastodon', $2, $1, 'x', 'public', now(), now(), $2, '{}') RETURNING id`,
        [author.id, root],
      );
      await ds.query(
        `INSERT INTO "case" (brand_id, source_id, platform, author_id, thread_root_external_id, first_post_id, language, status, priority, ack_due_at, last_post_at ${extra ? ', resolved_at, reopen_count, reopened_at' : ''})
         VALUES ('acme', 's', 'mastodon', $1, $2, $3, 'en', 'open', 3, now(), now() ${extra})`,
        [author.id, root, post.id],
      );
    };
    await insertCase('r1', ", now(), 0, NULL");
    await insertCase('r2', ", now(), 1, now()");
    await ds.runMigrations({ transaction: 'each' });

    const cases = await ds.query(`SELECT thread_root_external_id AS root, customer_id, first_time_fix_verdict AS verdict, priority_why FROM "case" ORDER BY root`);
    const [customer] = await ds.query(`SELECT id, display_name FROM customer`);
    expect(customer.display_name).toBe('Olga');
    expect(cases.map((c: Record<string, unknown>) => [c.root, c.customer_id, c.verdict])).toEqual([
      ['r1', customer.id, 'pending'],
      ['r2', customer.id, 'no'],
    ]);
    expect(cases[0].priority_why).toEqual([expect.objectContaining({ factor: 'complaint', points: 3 })]);
    expect(await ds.query(`SELECT customer_id FROM customer_author WHERE author_id = $1`, [author.id])).toEqual([{ customer_id: customer.id }]);
  });
});
