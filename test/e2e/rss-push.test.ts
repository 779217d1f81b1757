import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { createHmac } from 'node:crypto';
import axios from 'axios';
import { DataSource } from 'typeorm';
import { type BuiltFeed, FeedServer, feedSources } from '../support/feed-server.js';
import { eventually, queue, workers } from '../support/flow.js';
import { TestClock } from '../support/test-clock.js';
import { startTestApp, type TestApp } from '../support/test-app.js';
import { WebSubHub } from '../support/websub-hub.js';

const HOUR = 60 * 60_000;
const LEASE_SECONDS = 864000;

describe('feeds pushed by their WebSub hub', () => {
  let feeds: FeedServer;
  let hub: WebSubHub;
  let reviews: BuiltFeed;
  let forum: BuiltFeed;
  let plain: BuiltFeed;
  let t: TestApp;
  let clock: TestClock;
  let w: ReturnType<typeof workers>;

  const pushOf = async (id: string) => ((await t.as('manager').get('/sources')).data as Record<string, any>[]).find((s) => s.id === id)!.push;
  const stored = async (externalId: string) => Number((await t.app.get(DataSource).query('SELECT count(*) AS n FROM post WHERE external_id = $1', [externalId]))[0].n);
  const caseOf = async (externalId: string) => (await queue(t)).find((c) => c.post.externalId === externalId);
  const secretOf = async (id: string) => (await t.app.get(DataSource).query('SELECT secret FROM feed_subscription WHERE source_id = $1', [id]))[0].secret as string;
  // The scheduler's own first poll may hold the source: poll once it is free.
  const pollNow = (id: string) => eventually(`a poll of ${id}`, 5000, async () => ((await w.poll(id)) === 'busy' ? undefined : true));

  beforeAll(async () => {
    feeds = await FeedServer.start();
    hub = await WebSubHub.start();
    reviews = feeds.reviewFeed('/acme/reviews.rss', 'Acme Shop reviews', { hub: hub.url });
    forum = feeds.googleAlert('/alerts/forum', 'Acme', { hub: hub.url });
    plain = feeds.reviewFeed('/acme/plain.rss', 'Acme without a hub');
    clock = new TestClock(new Date());
    const file = feedSources({ 'acme-reviews': reviews.url, 'acme-forum': forum.url, 'acme-plain': plain.url });
    // The schedule runs, as in production: a push wakes the poller; the poll itself is ten minutes off.
    t = await startTestApp(
      { ...file, sources: file.sources.map((s) => ({ ...s, pollSeconds: 600 })), worker: { ...file.worker, schedule: true } },
      { clock },
    );
    w = workers(t);
  });

  afterAll(async () => {
    await t?.close();
    await hub?.stop();
    await feeds?.stop();
  });

  it('does not subscribe while the server has no public URL for the hub to call', async () => {
    for (const id of ['acme-reviews', 'acme-forum', 'acme-plain']) await pollNow(id);
    expect(hub.requests).toHaveLength(0);
    expect(await pushOf('acme-reviews')).toBeNull();
    // The app listens now: this is where the hub reaches it.
    t.config.server.publicUrl = t.url;
  });

  it('subscribes to the hub the feed names, with a secret of its own, and shows the subscription on the source', async () => {
    await pollNow('acme-reviews');
    await hub.verified(reviews.url);
    expect(hub.requests).toEqual([
      { mode: 'subscribe', topic: reviews.url, callback: `${t.url}/websub/acme-reviews`, secret: expect.stringMatching(/^[0-9a-f]{64}$/), leaseSeconds: LEASE_SECONDS },
    ]);
    const push = await pushOf('acme-reviews');
    expect(push).toMatchObject({ hub: new URL(hub.url).host, status: 'active', pushes: 0, refusedPushes: 0, lastError: null });
    expect(new Date(push.leaseExpiresAt).getTime()).toBe(clock.now().getTime() + LEASE_SECONDS * 1000);
    // The secret never leaves the database.
    expect(JSON.stringify((await t.as('manager').get('/sources')).data)).not.toContain(hub.requests[0].secret!);
  });

  it('queues a pushed complaint within seconds, without waiting for the poll', async () => {
    const complaint = reviews.add({ title: 'Broken on arrival', summary: 'My Acme blender arrived broken and nobody answers my emails. Still waiting for a refund.', author: 'Jan' });
    const reads = feeds.requestsFor('/acme/reviews.rss').length;
    const [delivery] = await hub.publish(reviews.url, reviews.body(), reviews.contentType);
    expect(delivery.status).toBe(202);
    expect(JSON.parse(delivery.body)).toEqual({ outcome: 'taken', entries: 1 });
    const item = await eventually('the pushed complaint is queued', 5000, () => caseOf(complaint.id));
    expect(item).toMatchObject({ platform: 'rss', sourceId: 'acme-reviews', post: { text: expect.stringContaining('arrived broken') } });
    // Read from the push: the feed itself was not fetched again.
    expect(feeds.requestsFor('/acme/reviews.rss')).toHaveLength(reads);
    expect(await pushOf('acme-reviews')).toMatchObject({ pushes: 1, lastPushAt: clock.now().toISOString() });
  });

  it('stores a pushed entry once, though the next poll of the feed brings it again', async () => {
    const [entry] = reviews.entries;
    await hub.publish(reviews.url, reviews.body(), reviews.contentType);
    await pollNow('acme-reviews');
    expect(await stored(entry.id)).toBe(1);
  });

  it('acknowledges and ignores a push that is not signed with the secret, or is for another topic', async () => {
    const forged = reviews.add({ title: 'Forged', summary: 'Acme broke my order and will not refund me, terrible.', author: 'Mallory' });
    const [unsigned] = await hub.publish(reviews.url, reviews.body(), reviews.contentType, { signWith: null });
    const [wrong] = await hub.publish(reviews.url, reviews.body(), reviews.contentType, { signWith: 'not-the-secret' });
    // Signed right, but for a feed the subscription is not about.
    const body = reviews.body();
    const other = await axios.post(`${t.url}/websub/acme-reviews`, body, {
      headers: {
        'Content-Type': reviews.contentType,
        Link: `<${hub.url}>; rel="hub", <${feeds.url}/elsewhere.rss>; rel="self"`,
        'X-Hub-Signature': `sha256=${createHmac('sha256', await secretOf('acme-reviews')).update(body).digest('hex')}`,
      },
      validateStatus: () => true,
    });
    // WebSub: a refused push is still answered 2xx, so that a forger learns nothing.
    for (const answer of [unsigned, wrong, { status: other.status, body: JSON.stringify(other.data) }]) {
      expect(answer.status).toBe(202);
      expect(JSON.parse(answer.body)).toEqual({ outcome: 'refused', entries: 0 });
    }
    expect(await stored(forged.id)).toBe(0);
    expect(await pushOf('acme-reviews')).toMatchObject({ refusedPushes: 3, lastError: 'the push is for another topic than the subscription' });
    // Signed with sha512 by the right secret, the same document is taken.
    const [sha512] = await hub.publish(reviews.url, reviews.body(), reviews.contentType, { method: 'sha512' });
    expect(JSON.parse(sha512.body)).toEqual({ outcome: 'taken', entries: 2 });
    await eventually('the entry is stored', 5000, async () => (await stored(forged.id)) === 1 || undefined);
  });

  it('answers only the verification it asked for, and names a missing parameter', async () => {
    const callback = `${t.url}/websub/acme-reviews`;
    const other = await axios.get(callback, { params: { 'hub.mode': 'subscribe', 'hub.topic': `${feeds.url}/elsewhere.rss`, 'hub.challenge': 'c1' }, validateStatus: () => true });
    expect(other.status).toBe(404);
    expect(other.data.code).toBe('WEBSUB.NOT_REQUESTED');
    const unsubscribe = await axios.get(callback, { params: { 'hub.mode': 'unsubscribe', 'hub.topic': reviews.url, 'hub.challenge': 'c2' }, validateStatus: () => true });
    expect(unsubscribe.status).toBe(404);
    const missing = await axios.get(callback, { params: { 'hub.mode': 'subscribe', 'hub.challenge': 'c3' }, validateStatus: () => true });
    expect(missing.status).toBe(400);
    expect(missing.data.fields.map((f: { field: string }) => f.field)).toEqual(['hub.topic']);
    // A confirmation never stretches the lease beyond what Paradox asked for and renews.
    const long = await axios.get(callback, { params: { 'hub.mode': 'subscribe', 'hub.topic': reviews.url, 'hub.challenge': 'c5', 'hub.lease_seconds': '999999999' }, validateStatus: () => true });
    expect(long.status).toBe(200);
    expect(new Date((await pushOf('acme-reviews')).leaseExpiresAt).getTime()).toBe(clock.now().getTime() + LEASE_SECONDS * 1000);
    // The challenge goes back as plain text, never as a page.
    const echoed = await axios.get(callback, { params: { 'hub.mode': 'subscribe', 'hub.topic': reviews.url, 'hub.challenge': '<script>x</script>', 'hub.lease_seconds': '3600' }, validateStatus: () => true });
    expect(echoed).toMatchObject({ status: 200, data: '<script>x</script>' });
    expect(echoed.headers['content-type']).toMatch(/^text\/plain/);
    expect(echoed.headers['x-content-type-options']).toBe('nosniff');
    expect((await axios.get(`${t.url}/websub/acme-plain`, { params: { 'hub.mode': 'subscribe', 'hub.topic': plain.url, 'hub.challenge': 'c4' }, validateStatus: () => true })).status).toBe(404);
    // A push for a source without a subscription tells the hub to drop it.
    const stray = await axios.post(`${t.url}/websub/acme-plain`, plain.body(), { headers: { 'Content-Type': plain.contentType }, validateStatus: () => true });
    expect(stray.status).toBe(410);
    expect(stray.data.code).toBe('WEBSUB.NO_SUBSCRIPTION');
  });

  it('renews the lease on a poll within a day of its end, keeping the secret', async () => {
    const secret = await secretOf('acme-reviews');
    const before = hub.requests.length;
    // The verification above granted an hour; half of it later the poll renews.
    clock.advance(31 * 60_000);
    // Long after Paradox asked, a confirmation is not believed.
    const late = await axios.get(`${t.url}/websub/acme-reviews`, { params: { 'hub.mode': 'subscribe', 'hub.topic': reviews.url, 'hub.challenge': 'c6' }, validateStatus: () => true });
    expect(late.status).toBe(404);
    await pollNow('acme-reviews');
    await hub.settled();
    expect(hub.requests.slice(before)).toEqual([expect.objectContaining({ mode: 'subscribe', topic: reviews.url, secret })]);
    const push = await pushOf('acme-reviews');
    expect(push.status).toBe('active');
    expect(new Date(push.leaseExpiresAt).getTime()).toBe(clock.now().getTime() + LEASE_SECONDS * 1000);
    // Renewed: the next poll asks nothing.
    await pollNow('acme-reviews');
    expect(hub.requests).toHaveLength(before + 1);
  });

  it('takes a signed push after a forged denial: the subscription is alive', async () => {
    const denial = await axios.get(`${t.url}/websub/acme-reviews`, { params: { 'hub.mode': 'denied', 'hub.topic': reviews.url, 'hub.reason': 'forged' }, validateStatus: () => true });
    expect(denial.status).toBe(200);
    expect((await pushOf('acme-reviews')).status).toBe('denied');
    const entry = reviews.add({ title: 'Wrong size again', summary: 'Acme sent the wrong size again and the return label does not work.', author: 'Kim' });
    const [pushed] = await hub.publish(reviews.url, reviews.body(), reviews.contentType);
    expect(JSON.parse(pushed.body).outcome).toBe('taken');
    expect(await pushOf('acme-reviews')).toMatchObject({ status: 'active', lastError: null });
    await eventually('the entry is stored', 5000, async () => (await stored(entry.id)) === 1 || undefined);
  });

  it('shows a subscription the hub denied, with an alert, and asks again an hour later', async () => {
    hub.denyWith = 'topic not allowed here';
    await pollNow('acme-forum');
    await hub.settled();
    expect(await pushOf('acme-forum')).toMatchObject({ status: 'denied', lastError: 'the hub denied the subscription: topic not allowed here' });
    const forumSource = ((await t.as('manager').get('/sources')).data as Record<string, any>[]).find((s) => s.id === 'acme-forum')!;
    expect(forumSource.alerts).toEqual([expect.objectContaining({ code: 'PUSH_LOST', message: expect.stringContaining('topic not allowed here') })]);
    const unsigned = await axios.post(`${t.url}/websub/acme-forum`, forum.body(), { headers: { 'Content-Type': forum.contentType }, validateStatus: () => true });
    expect(unsigned.data).toEqual({ outcome: 'refused', entries: 0 });
    hub.denyWith = null;
    await pollNow('acme-forum');
    expect((await pushOf('acme-forum')).status).toBe('denied');
    clock.advance(HOUR + 60_000);
    await pollNow('acme-forum');
    await hub.verified(forum.url);
    expect((await pushOf('acme-forum')).status).toBe('active');
  });

  it('keeps polling a feed whose hub cannot be reached, and says so on the source', async () => {
    const feed = feeds.reviewFeed('/acme/plain.rss', 'Acme, now with a hub', { hub: hub.url });
    hub.failWith = 503;
    const entry = feed.add({ title: 'Still no refund', summary: 'Acme still has not refunded my broken order, this is unacceptable.', author: 'Piet' });
    expect(await pollNow('acme-plain')).toBe(true);
    hub.failWith = null;
    expect(await stored(entry.id)).toBe(1);
    const sources = (await t.as('manager').get('/sources')).data as Record<string, any>[];
    expect(sources.find((s) => s.id === 'acme-plain')).toMatchObject({
      healthy: true,
      push: { status: 'failed', lastError: `the hub at ${new URL(hub.url).host} answered the subscription request with HTTP 503` },
    });
  });

  it('gives a feed back to its hub when it is no longer pushed here', async () => {
    expect([...hub.subscriptions.values()].some((s) => s.topic === forum.url)).toBe(true);
    // The next start of Paradox no longer has the forum: the hub is told to stop pushing it.
    const file = feedSources({ 'acme-reviews': reviews.url, 'acme-plain': plain.url });
    const next = await startTestApp(file, { db: t.db, clock });
    try {
      await eventually('the hub hears of it', 5000, () => hub.requests.some((r) => r.mode === 'unsubscribe') || undefined);
      await hub.settled();
      expect(hub.requests.at(-1)).toEqual({ mode: 'unsubscribe', topic: forum.url, callback: `${t.url}/websub/acme-forum`, secret: null, leaseSeconds: null });
      expect([...hub.subscriptions.values()].some((s) => s.topic === forum.url)).toBe(false);
      expect([...hub.subscriptions.values()].some((s) => s.topic === reviews.url)).toBe(true);
      expect(await t.app.get(DataSource).query('SELECT source_id FROM feed_subscription ORDER BY source_id')).toEqual([{ source_id: 'acme-plain' }, { source_id: 'acme-reviews' }]);
    } finally {
      await next.close();
    }
  });
});
