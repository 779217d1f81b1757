import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { DEMO_POSTS } from '../../src/sources/connectors/demo/demo-posts.js';
import { workers } from '../support/flow.js';
import { TestClock } from '../support/test-clock.js';
import { startTestApp, type TestApp } from '../support/test-app.js';

describe('the demo source', () => {
  let t: TestApp;
  let clock: TestClock;
  let w: ReturnType<typeof workers>;

  beforeAll(async () => {
    clock = new TestClock(new Date());
    // No sources configured: the default demo brand and source take over.
    t = await startTestApp({ worker: { schedule: false } }, { clock });
    w = workers(t);
  });

  afterAll(async () => {
    await t?.close();
  });

  it('replays its example posts into a live, labelled queue', async () => {
    clock.advance(DEMO_POSTS.length * 20_000);
    expect(await w.poll('demo')).toBe('polled');
    const queue = (await t.as('agent').get('/cases', { params: { limit: 200 } })).data.items;
    const complaints = DEMO_POSTS.filter((p) => p.kind === 'complaint').length;
    // The rules-v1 analysis finds most written complaints and no praise.
    expect(queue.length).toBeGreaterThanOrEqual(complaints * 0.8);
    expect(queue.every((c: { demo: boolean }) => c.demo)).toBe(true);
    const praised = new Set(DEMO_POSTS.filter((p) => p.kind === 'praise').map((p) => p.text));
    expect(queue.filter((c: { post: { text: string } }) => praised.has(c.post.text))).toEqual([]);
    const sources = (await t.as('agent').get('/sources')).data;
    expect(sources).toMatchObject([{ id: 'demo', demo: true, healthy: true }]);
  });

  it('answers follow-ups: satisfied customers recover, the others reopen', async () => {
    const queue = (await t.as('agent').get('/cases', { params: { limit: 200 } })).data.items;
    for (const c of queue) {
      expect((await t.as('agent').post(`/cases/${c.id}/acknowledge`, {})).status).toBe(201);
    }
    await w.publish();
    for (const c of queue) {
      expect((await t.as('agent').post(`/cases/${c.id}/resolve`, { note: 'Demo fix.', firstTimeFix: true })).status).toBe(200);
    }
    clock.advance(2 * 60_000 + 1_000); // the demo brand's follow-up delay
    await w.publish();
    clock.advance(15_000 + 1_000); // the demo customers' answer time
    await w.poll('demo');

    const statuses = await Promise.all(queue.map(async (c: { id: string }) => (await t.as('agent').get(`/cases/${c.id}`)).data.status));
    expect(statuses).toContain('recovered');
    expect(statuses).toContain('open');
    expect(statuses.filter((s) => s !== 'recovered' && s !== 'open' && s !== 'follow_up_sent')).toEqual([]);
  });
});
