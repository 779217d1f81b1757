import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { workers } from '../support/flow.js';
import { MastodonImitation } from '../support/mastodon-imitation.js';
import { TestClock } from '../support/test-clock.js';
import { mastodonSource, startTestApp, type TestApp } from '../support/test-app.js';

describe('corrections from the care team', () => {
  let mastodon: MastodonImitation;
  let t: TestApp;
  let clock: TestClock;

  beforeAll(async () => {
    mastodon = await MastodonImitation.start();
    clock = new TestClock(new Date());
    t = await startTestApp(mastodonSource(mastodon.url), { clock, env: { T_MASTODON: mastodon.accessToken } });
  });

  afterAll(async () => {
    await t?.close();
    await mastodon?.stop();
  });

  it('stores an agent correction, retrains the brand model from it, and analyses new posts with that model', async () => {
    const sam = mastodon.addAccount('sam');
    mastodon.post(sam, '@acme my parcel is still missing after two weeks, nobody answers', { createdAt: clock.now() });
    await workers(t).poll();
    const [item] = (await t.as('agent').get('/cases')).data.items;
    expect(item.analysis).toMatchObject({ topic: 'delivery', intent: 'complaint' });
    const starter = item.analysis.modelVersion;

    const empty = await t.as('agent').post(`/posts/${item.post.id}/label`, {});
    expect(empty.status).toBe(400);
    expect(empty.data).toMatchObject({ code: 'LABEL.EMPTY', fields: ['complaint', 'topic'] });
    const badTopic = await t.as('agent').post(`/posts/${item.post.id}/label`, { topic: 'weather' });
    expect(badTopic.status).toBe(400);
    expect(badTopic.data.fields.map((f: { field: string }) => f.field)).toEqual(['topic']);
    const unknown = await t.as('agent').post('/posts/00000000-0000-4000-8000-000000000000/label', { complaint: false });
    expect(unknown.status).toBe(404);

    const labelled = await t.as('agent').post(`/posts/${item.post.id}/label`, { complaint: true, topic: 'service_staff' });
    expect(labelled.status).toBe(200);
    expect(labelled.data).toMatchObject({ isComplaint: true, topic: 'service_staff', labelledBy: 'alice' });

    const retrain = await t.as('manager').post('/analysis/models/retrain');
    expect(retrain.data.retrained).toEqual(['acme']);
    expect((await t.as('manager').post('/analysis/models/retrain')).data.retrained).toEqual([]);
    const [model] = (await t.as('agent').get('/analysis/models')).data;
    expect(model).toMatchObject({ brand: 'acme', labels: 1, version: `${starter}+acme-1` });

    mastodon.post(mastodon.addAccount('kim'), '@acme still waiting for my refund, third time I ask', { createdAt: clock.now() });
    await workers(t).poll();
    const items = (await t.as('agent').get('/cases')).data.items;
    const kim = items.find((c: { customer: { handle: string } }) => c.customer.handle.startsWith('@kim'));
    expect(kim.analysis.modelVersion).toBe(`${starter}+acme-1`);
  });
});
