import { afterAll, beforeAll, describe, expect, it, jest } from '@jest/globals';
import { DataSource } from 'typeorm';
import { AnalysisService } from '../../src/analysis/analysis.service.js';
import { type BuiltFeed, FeedServer, feedSources } from '../support/feed-server.js';
import { queue, workers } from '../support/flow.js';
import { TestClock } from '../support/test-clock.js';
import { startTestApp, type TestApp } from '../support/test-app.js';

const DAY = 24 * 60 * 60_000;
const ALERT = '/alerts/feeds/04175468913983673025/4428013283581841004';
const REVIEWS = '/acme/reviews.rss';

describe('the recovery flow on feeds: a Google Alert and a review site', () => {
  let feeds: FeedServer;
  let alert: BuiltFeed;
  let reviews: BuiltFeed;
  let t: TestApp;
  let clock: TestClock;
  let w: ReturnType<typeof workers>;
  let host: string;

  const posts = async () => Number((await t.app.get(DataSource).query('SELECT count(*) AS n FROM post'))[0].n);
  const caseOf = async (id: string) => (await t.as('agent').get(`/cases/${id}`)).data;
  const repliesOf = async (id: string) => (await t.as('agent').get(`/cases/${id}/replies`)).data as Record<string, any>[];

  beforeAll(async () => {
    feeds = await FeedServer.start();
    host = new URL(feeds.url).host;
    alert = feeds.googleAlert(ALERT, 'Acme');
    reviews = feeds.reviewFeed(REVIEWS, 'Acme Shop reviews');
    clock = new TestClock(new Date());
    t = await startTestApp(feedSources({ 'acme-alerts': alert.url, 'acme-reviews': reviews.url }), { clock });
    w = workers(t);
  });

  afterAll(async () => {
    await t?.close();
    await feeds?.stop();
  });

  it('opens a case for a complaint in a Google Alert, with the real link and no markup, answered and followed up by hand', async () => {
    const complaint = alert.add({
      title: 'Never ordering from Acme again',
      summary: 'My Acme order arrived broken and customer service has ignored my emails for two weeks. Still waiting for a refund ...',
      link: 'https://blog.example/2026/11/acme-broken-order?ref=alerts&x=1',
      published: clock.now(),
    });
    alert.add({ title: 'Acme opens a new store in Utrecht', summary: 'The Acme shop on the Oudegracht opens its doors on Saturday with live music.', link: 'https://news.example/utrecht', published: clock.now() });
    // The feed is served as Google serves it: the query in <b>, the link behind a redirect.
    const served = await (await fetch(alert.url)).text();
    expect(served).toContain('&lt;b&gt;Acme&lt;/b&gt;');
    expect(served).toContain('https://www.google.com/url?rct=j&amp;sa=t&amp;url=https://blog.example/2026/11/acme-broken-order?ref=alerts%26x=1&amp;ct=ga');

    expect(await w.poll('acme-alerts')).toBe('polled');
    const [item, ...rest] = await queue(t);
    expect(rest).toHaveLength(0);
    expect(item).toMatchObject({
      status: 'open',
      platform: 'rss',
      sourceId: 'acme-alerts',
      customer: { handle: `Google Alert - Acme (${host})`, displayName: 'Google Alert - Acme' },
      post: {
        externalId: complaint.id,
        url: 'https://blog.example/2026/11/acme-broken-order?ref=alerts&x=1',
        text: 'Never ordering from Acme again\n\nMy Acme order arrived broken and customer service has ignored my emails for two weeks. Still waiting for a refund ...',
      },
    });
    expect(item.analysis.complaint.label).toBe(true);
    expect(new Date(item.ackDueAt).getTime()).toBe(new Date(complaint.published.toISOString().replace(/\.\d+Z$/, 'Z')).getTime() + 60 * 60_000);

    // Paradox cannot post in a feed: the acknowledgement waits for the agent, the publisher leaves it.
    const ack = await t.as('agent').post(`/cases/${item.id}/acknowledge`, { text: "Sorry about the broken order, we've emailed you a free replacement. (ref C-1)" });
    expect(ack.status).toBe(201);
    expect(ack.data).toMatchObject({ status: 'queued', manual: true });
    expect(await w.publish()).toBe(0);
    expect(await repliesOf(item.id)).toMatchObject([{ id: ack.data.id, status: 'queued', manual: true, attempts: 0 }]);
    expect((await caseOf(item.id)).status).toBe('open');

    // The agent answers under the blog post by hand, then records where.
    const where = 'https://blog.example/2026/11/acme-broken-order#comment-3';
    const recorded = await t.as('agent').post(`/replies/${ack.data.id}/record`, { url: where });
    expect(recorded.status).toBe(200);
    expect(recorded.data).toMatchObject({ status: 'published', publishedBy: 'alice', externalUrl: where });
    expect((await t.as('agent').post(`/replies/${ack.data.id}/record`, {})).data.code).toBe('REPLY.NOT_MANUAL');
    const acknowledged = await caseOf(item.id);
    expect(acknowledged.status).toBe('acknowledged');
    expect(acknowledged.timeline.find((e: { type: string }) => e.type === 'reply_published')).toMatchObject({
      actor: 'alice',
      data: { kind: 'acknowledgement', manual: true, url: where },
    });

    const resolved = await t.as('agent').post(`/cases/${item.id}/resolve`, { note: 'Replacement sent by courier.', firstTimeFix: true });
    expect(resolved.status).toBe(200);
    const followUp = (await repliesOf(item.id)).find((r) => r.kind === 'follow_up')!;
    expect(followUp).toMatchObject({ status: 'queued', manual: true });
    expect(new Date(followUp.notBefore).getTime()).toBe(new Date(resolved.data.case.resolvedAt).getTime() + 3 * DAY);
    const early = await t.as('agent').post(`/replies/${followUp.id}/record`, {});
    expect(early.status).toBe(409);
    expect(early.data.code).toBe('REPLY.NOT_DUE');

    clock.advance(3 * DAY + 60_000);
    expect(await w.publish()).toBe(0);
    expect((await t.as('agent').post(`/replies/${followUp.id}/record`, { url: 'https://blog.example/2026/11/acme-broken-order#comment-9' })).status).toBe(200);
    const done = await caseOf(item.id);
    expect(done.status).toBe('follow_up_sent');
    // Who posted each reply by hand is on the timeline; the case moved on by itself.
    expect(done.timeline.map((e: { type: string; actor: string }) => `${e.type}:${e.actor}`)).toEqual([
      `post:Google Alert - Acme (${host})`,
      // Replying to a free case claims it for the agent who replies.
      'claimed:alice',
      'reply_queued:alice',
      'reply_published:alice',
      'acknowledged:paradox',
      'resolved:alice',
      'reply_queued:alice',
      'follow_up_scheduled:alice',
      'reply_published:alice',
      'follow_up_sent:paradox',
    ]);
  });

  it('takes in a review from an RSS feed with the reviewer as the customer', async () => {
    const review = reviews.add({ title: 'Terrible service, parcel lost', summary: 'Ordered a jacket three weeks ago, the parcel never arrived and nobody answers the phone. Very disappointed.', author: 'Anna de Vries', published: clock.now() });
    reviews.add({ title: 'Great jacket, fast delivery', summary: 'Arrived the next day, fits perfectly.', author: 'Tom Baker', published: clock.now() });
    expect(await w.poll('acme-reviews')).toBe('polled');
    const item = (await queue(t)).find((i) => i.sourceId === 'acme-reviews')!;
    expect(item).toMatchObject({
      customer: { handle: `Anna de Vries (${host})`, displayName: 'Anna de Vries' },
      post: { externalId: review.id, url: review.link, text: `${review.title}\n\n${review.summary}` },
      language: 'en',
    });
    expect((await t.as('agent').get(`/cases/${item.id}/draft`, { params: { kind: 'acknowledgement' } })).data.text).toMatch(/^Hi Anna,/);
    // A feed has no conversation: the thread is the review itself, read from the feed now.
    const thread = await t.as('agent').get(`/cases/${item.id}/thread`);
    expect(thread.status).toBe(200);
    expect(thread.data.posts.map((p: Record<string, unknown>) => [p.externalId, p.customer, p.stored])).toEqual([[review.id, true, true]]);
  });

  it('asks again with If-None-Match and If-Modified-Since, and stores nothing on a 304', async () => {
    const before = await posts();
    const [first] = feeds.requestsFor(ALERT).filter((r) => r.status === 200).slice(-1);
    expect(await w.poll('acme-alerts')).toBe('polled');
    const again = feeds.requestsFor(ALERT).at(-1)!;
    expect(again.status).toBe(304);
    expect(again.headers).toMatchObject({ 'if-none-match': expect.stringMatching(/^"[0-9a-f]+"$/), 'if-modified-since': expect.stringMatching(/GMT$/) });
    expect(again.headers['user-agent']).toContain('Paradox');
    expect(first.headers['if-none-match']).toBeUndefined();
    expect(await posts()).toBe(before);
    expect((await t.as('agent').get('/sources')).data.find((s: { id: string }) => s.id === 'acme-alerts')).toMatchObject({ healthy: true, consecutiveFailures: 0 });
  });

  it('takes in the new entries of a changed feed once, without handing the old ones to analysis again', async () => {
    const analyse = jest.spyOn(t.app.get(AnalysisService), 'analyse');
    try {
      const before = await posts();
      alert.add({ title: 'Acme app broken again', summary: 'The Acme app crashes every time I try to pay. Fix it please, I have been waiting all week.', published: clock.now() });
      alert.add({ title: 'Acme sponsors the Utrecht marathon', summary: 'Acme will sponsor the marathon this spring.', published: clock.now() });
      expect(await w.poll('acme-alerts')).toBe('polled');
      expect(feeds.requestsFor(ALERT).at(-1)!.status).toBe(200);
      expect(analyse).toHaveBeenCalledTimes(2);
      expect(await posts()).toBe(before + 2);
      expect(await w.poll('acme-alerts')).toBe('polled');
      expect(analyse).toHaveBeenCalledTimes(2);
      const stored = await t.app.get(DataSource).query(`SELECT external_id FROM post WHERE source_id = 'acme-alerts' ORDER BY posted_at, external_id`);
      expect(stored.map((r: { external_id: string }) => r.external_id).sort()).toEqual(alert.entries.map((e) => e.id).sort());
    } finally {
      analyse.mockRestore();
    }
  });
});
