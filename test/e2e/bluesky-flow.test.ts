import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { BlueskyConnector } from '../../src/sources/connectors/bluesky/bluesky.connector.js';
import { DataSource } from 'typeorm';
import { ConnectorRegistry } from '../../src/sources/connector-registry.js';
import { type BlueskyAccount, BlueskyNetwork } from '../support/bluesky-network.js';
import { FaultProxy, type ProxyFault } from '../support/fault-proxy.js';
import { queue, workers } from '../support/flow.js';
import { startTestApp, type TestApp } from '../support/test-app.js';
import { TestClock } from '../support/test-clock.js';
import { createTestDatabase } from '../support/test-database.js';

const DAY = 24 * 60 * 60_000;
const SOURCE = 'acme-bluesky';

function blueskySource(service: string, identifier: string) {
  return {
    brands: [{ id: 'acme', name: 'Acme', defaultLanguage: 'en', sla: { ackMinutes: 60 }, followUp: { delayMinutes: 4320 } }],
    sources: [
      {
        id: SOURCE,
        brand: 'acme',
        type: 'bluesky',
        pollSeconds: 1,
        // The AppView's post search is a case-sensitive LIKE: the keyword as customers write it.
        bluesky: { service, identifier, appPasswordEnv: 'T_BLUESKY', keywords: ['AcmeShop'], timeoutMs: 5000 },
      },
    ],
    worker: { schedule: false, publishEveryMs: 200 },
  };
}

describe('the recovery flow on a real Bluesky network (@atproto/dev-env)', () => {
  let network: BlueskyNetwork;
  let t: TestApp;
  let clock: TestClock;
  let brand: BlueskyAccount;
  let anna: BlueskyAccount;
  let tom: BlueskyAccount;
  let w: ReturnType<typeof workers>;

  beforeAll(async () => {
    network = await BlueskyNetwork.start();
    brand = await network.account('acmeshop');
    anna = await network.account('anna');
    tom = await network.account('tom');
    clock = new TestClock(new Date());
    t = await startTestApp(blueskySource(network.pdsUrl, brand.handle), { clock, env: { T_BLUESKY: brand.password } });
    w = workers(t);
  }, 120_000);

  afterAll(async () => {
    await t?.close();
    await network?.stop();
  }, 60_000);

  it('finds a mention, answers it threaded under the post, follows up and reads the customer answer', async () => {
    const complaint = await network.post(anna, `@${brand.handle} my parcel still has not arrived after three weeks and nobody answers my emails`);
    await network.post(brand, 'Our spring collection is live! Tell us what you think.');

    expect(await w.poll(SOURCE)).toBe('polled');
    const [item, ...rest] = await queue(t);
    expect(rest).toHaveLength(0);
    expect(item).toMatchObject({ status: 'open', platform: 'bluesky', customer: { handle: `@${anna.handle}` }, post: { externalId: complaint.uri } });

    await t.as('agent').post(`/cases/${item.id}/claim`);
    const ack = await t.as('agent').post(`/cases/${item.id}/acknowledge`, {});
    expect(ack.status).toBe(201);
    expect(await w.publish()).toBe(1);

    const [reply, ...others] = await network.replies(anna, complaint.uri);
    expect(others).toHaveLength(0);
    expect(reply.author).toBe(brand.handle);
    expect(reply.text).toContain(`@${anna.handle}`);
    expect((await t.as('agent').get(`/cases/${item.id}`)).data.status).toBe('acknowledged');

    await t.as('agent').post(`/cases/${item.id}/resolve`, { note: 'Courier had the wrong house number; re-delivered today.', firstTimeFix: true });
    clock.advance(3 * DAY + 60_000);
    expect(await w.publish()).toBe(1);
    const followUp = (await network.replies(anna, complaint.uri)).find((r) => r.text.includes('Is everything resolved'))!;
    expect(followUp).toBeDefined();
    expect(followUp.author).toBe(brand.handle);

    clock.advance(20 * 60_000);
    await network.post(anna, 'yes, all sorted now, thanks a lot!', { uri: followUp.uri, cid: followUp.cid });
    expect(await w.poll(SOURCE)).toBe('polled');
    const done = (await t.as('agent').get(`/cases/${item.id}`)).data;
    expect(done.status).toBe('recovered');
    expect(done.timeline.map((e: { type: string }) => e.type)).toContain('answer_received');
  });

  it('finds a post that names the brand without mentioning it, by keyword search', async () => {
    const post = await network.post(tom, 'AcmeShop charged me twice for the same order and I want a refund');
    expect(await w.poll(SOURCE)).toBe('polled');
    const items = await queue(t);
    expect(items.find((i) => i.post.externalId === post.uri)).toMatchObject({ customer: { handle: `@${tom.handle}` } });
    // Polling again finds nothing new: the cursor moved, and what comes again is stored once.
    expect(await w.poll(SOURCE)).toBe('polled');
    expect((await queue(t)).filter((i) => i.post.externalId === post.uri)).toHaveLength(1);
  });

  it('posts a reply once however often it is sent: the record key comes from the reply', async () => {
    const post = await network.post(tom, `@${brand.handle} the app keeps crashing when I pay`);
    const connector = t.app.get(ConnectorRegistry).get(SOURCE) as BlueskyConnector;
    const request = {
      kind: 'acknowledgement' as const,
      text: 'Sorry about that, we are looking into it.',
      attempt: 1,
      inReplyTo: { externalId: post.uri, authorHandle: `@${tom.handle}` },
      visibility: 'public' as const,
      language: 'en',
      idempotencyKey: '6f1d2c3b-0000-4000-8000-00000000abcd',
      createdAt: new Date(),
    };
    const first = await connector.postReply(request);
    const again = await connector.postReply(request);
    expect(again.externalId).toBe(first.externalId);
    const replies = await network.replies(tom, post.uri);
    expect(replies).toHaveLength(1);
    expect(replies[0]).toMatchObject({ uri: first.externalId, author: brand.handle });
  });

  it('never takes in the brand its own posts, though the keyword search finds them', async () => {
    const own = await network.post(brand, `@${anna.handle} AcmeShop here: still no parcel? That is terrible, we are on it`);
    const customer = await network.post(anna, 'AcmeShop still has not refunded me, terrible');
    expect(await w.poll(SOURCE)).toBe('polled');
    const stored = async (uri: string) => (await t.app.get(DataSource).query('SELECT count(*)::int AS n FROM post WHERE external_id = $1', [uri]))[0].n;
    expect(await stored(customer.uri)).toBe(1);
    expect(await stored(own.uri)).toBe(0);
  });

  describe('when the network fails', () => {
    let proxy: FaultProxy;
    let f: TestApp;
    let fw: ReturnType<typeof workers>;
    let fclock: TestClock;
    const NOTIFICATIONS = '/xrpc/app.bsky.notification.listNotifications';
    const health = async () => (await f.as('agent').get('/sources')).data.find((s: { id: string }) => s.id === SOURCE);
    const stored = async (uri: string) => (await f.app.get(DataSource).query('SELECT count(*)::int AS n FROM post WHERE external_id = $1', [uri]))[0].n;

    beforeAll(async () => {
      proxy = await FaultProxy.start(network.pdsUrl);
      fclock = new TestClock(new Date());
      const config = blueskySource(proxy.url, brand.handle);
      config.sources[0].bluesky.timeoutMs = 500;
      f = await startTestApp(config, { clock: fclock, env: { T_BLUESKY: brand.password } });
      fw = workers(f);
      expect(await fw.poll(SOURCE)).toBe('polled');
    }, 60_000);

    afterAll(async () => {
      await f?.close();
      await proxy?.stop();
    });

    const faults: [string, ProxyFault, string][] = [
      ['a 500', { kind: 'status', status: 500 }, 'TEMPORARY'],
      ['a timeout', { kind: 'hang' }, 'TEMPORARY'],
      ['a malformed body', { kind: 'malformed' }, 'BAD_RESPONSE'],
    ];
    it.each(faults)('backs off after %s, shows the source unhealthy, and takes the post in once when it recovers', async (_, fault, code) => {
      const complaint = await network.post(anna, `@${brand.handle} order ${Math.random()} still not delivered, waiting for weeks`);
      proxy.failNext(NOTIFICATIONS, fault);
      expect(await fw.poll(SOURCE)).toBe('failed');
      expect(await health()).toMatchObject({ healthy: false, backingOff: true });
      expect((await health()).lastError).toContain(code);
      expect(await fw.poll(SOURCE)).toBe('backing-off');

      fclock.advance(60_000);
      expect(await fw.poll(SOURCE)).toBe('polled');
      expect(await health()).toMatchObject({ healthy: true, backingOff: false });
      expect(await fw.poll(SOURCE)).toBe('polled');
      expect(await stored(complaint.uri)).toBe(1);
    });

    it('waits for the reset Bluesky names (epoch seconds) after a 429', async () => {
      const resetAt = Math.floor(Date.now() / 1000) + 5 * 60;
      proxy.failNext(NOTIFICATIONS, { kind: 'status', status: 429, headers: { 'ratelimit-limit': '3000', 'ratelimit-remaining': '0', 'ratelimit-reset': String(resetAt) } });
      expect(await fw.poll(SOURCE)).toBe('failed');
      const limited = await health();
      expect(limited.lastError).toContain('RATE_LIMITED');
      expect(new Date(limited.backoffUntil).getTime()).toBe(resetAt * 1000);
      fclock.set(new Date(resetAt * 1000 + 1000));
      expect(await fw.poll(SOURCE)).toBe('polled');
    });

    it('signs in again, after the back-off, once the platform refuses the session', async () => {
      const signIns = () => proxy.requests.filter((r) => r.endsWith('/com.atproto.server.createSession')).length;
      const before = signIns();
      // The access token expired, and so did the refresh token the client tries next.
      proxy.failNext(NOTIFICATIONS, { kind: 'status', status: 400, body: JSON.stringify({ error: 'ExpiredToken', message: 'Token has expired' }) });
      proxy.failNext('/xrpc/com.atproto.server.refreshSession', { kind: 'status', status: 400, body: JSON.stringify({ error: 'ExpiredToken', message: 'Token has been revoked' }) });
      expect(await fw.poll(SOURCE)).toBe('failed');
      expect((await health()).lastError).toContain('AUTH_EXPIRED');
      fclock.advance(15 * 60_000 + 1000);
      expect(await fw.poll(SOURCE)).toBe('polled');
      expect(signIns()).toBe(before + 1);
    });

    it('stops in the middle of a read-back over several pages, and the next app on the database takes each post in once', async () => {
      const db = await createTestDatabase();
      const config = blueskySource(proxy.url, brand.handle);
      Object.assign(config.sources[0].bluesky, { pageSize: 2, keywords: [], timeoutMs: 500 });
      const first = await startTestApp(config, { db, env: { T_BLUESKY: brand.password } });
      try {
        expect(await workers(first).poll(SOURCE)).toBe('polled');
        const complaints = [];
        for (let i = 0; i < 5; i++) complaints.push(await network.post(tom, `@${brand.handle} refund ${i} ${Math.random()} still missing after two weeks`));
        // The first page of the read-back arrives, the second never does: the poll fails, storing nothing.
        proxy.failNext(NOTIFICATIONS, { kind: 'hang' }, 1);
        expect(await workers(first).poll(SOURCE)).toBe('failed');
        await first.close();
        const next = await startTestApp(config, { db, clock: new TestClock(new Date(Date.now() + 60_000)), env: { T_BLUESKY: brand.password } });
        try {
          expect(await workers(next).poll(SOURCE)).toBe('polled');
          expect(await workers(next).poll(SOURCE)).toBe('polled');
          const counts = await next.app.get(DataSource).query('SELECT external_id, count(*)::int AS n FROM post WHERE external_id = ANY($1) GROUP BY external_id', [complaints.map((c) => c.uri)]);
          expect(counts).toHaveLength(5);
          expect(counts.every((c: { n: number }) => c.n === 1)).toBe(true);
        } finally {
          await next.close();
        }
      } finally {
        await first.close().catch(() => undefined);
        await db.stop();
      }
    }, 60_000);

    it('marks a refused app password as expired credentials', async () => {
      const config = blueskySource(proxy.url, brand.handle);
      const wrong = await startTestApp(config, { env: { T_BLUESKY: 'not-the-password' } });
      try {
        expect(await workers(wrong).poll(SOURCE)).toBe('failed');
        const sick = (await wrong.as('agent').get('/sources')).data.find((s: { id: string }) => s.id === SOURCE);
        expect(sick.lastError).toContain('AUTH_EXPIRED');
      } finally {
        await wrong.close();
      }
    });
  });
});
