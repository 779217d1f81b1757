import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { workers } from '../support/flow.js';
import { type ImitationAccount, MastodonImitation } from '../support/mastodon-imitation.js';
import { mastodonSource, startTestApp, type TestApp } from '../support/test-app.js';
import { TestClock } from '../support/test-clock.js';

const HOUR = 3_600_000;

async function alerts(t: TestApp): Promise<{ code: string; message: string }[]> {
  const response = await t.as('agent').get('/sources');
  return response.data.find((s: { id: string }) => s.id === 'acme-mastodon').alerts;
}

describe('source alerts', () => {
  let mastodon: MastodonImitation;
  let t: TestApp;
  let clock: TestClock;
  let customer: ImitationAccount;
  let w: ReturnType<typeof workers>;

  beforeAll(async () => {
    mastodon = await MastodonImitation.start();
    clock = new TestClock(new Date());
    t = await startTestApp(mastodonSource(mastodon.url), { clock, env: { T_MASTODON: mastodon.accessToken } });
    w = workers(t);
    customer = mastodon.addAccount('joost');
  });

  afterAll(async () => {
    await t?.close();
    await mastodon?.stop();
  });

  it('says a channel that usually has traffic went silent, and takes it back when posts come again', async () => {
    for (let i = 0; i < 25; i++) mastodon.post(customer, `@acme order ${i} still not delivered, waiting for weeks`, { createdAt: clock.now() });
    expect(await w.poll()).toBe('polled');
    expect(await alerts(t)).toEqual([]);

    // 25 posts a week is one every ~7 hours: ten such gaps without a post is silence.
    clock.advance(60 * HOUR);
    expect(await w.poll()).toBe('polled');
    expect(await alerts(t)).toEqual([]);
    clock.advance(10 * HOUR);
    expect(await w.poll()).toBe('polled');
    expect(await alerts(t)).toEqual([expect.objectContaining({ code: 'SILENT', message: expect.stringContaining('No post for 70 hours') })]);

    mastodon.post(customer, '@acme still nothing, this is unacceptable', { createdAt: clock.now() });
    expect(await w.poll()).toBe('polled');
    expect(await alerts(t)).toEqual([]);
  });

  it('says the credentials stopped working', async () => {
    const refused = await startTestApp(mastodonSource(mastodon.url), { env: { T_MASTODON: 'a-revoked-token' } });
    try {
      expect(await workers(refused).poll()).toBe('failed');
      expect(await alerts(refused)).toEqual([expect.objectContaining({ code: 'AUTH_EXPIRED' })]);
    } finally {
      await refused.close();
    }
  });
});
