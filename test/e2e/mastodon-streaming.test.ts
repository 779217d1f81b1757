import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { DataSource } from 'typeorm';
import { eventually, queue } from '../support/flow.js';
import { type ImitationAccount, MastodonImitation } from '../support/mastodon-imitation.js';
import { mastodonSource, startTestApp, type TestApp } from '../support/test-app.js';

describe('the Mastodon notification stream', () => {
  let mastodon: MastodonImitation;
  let t: TestApp;
  let anna: ImitationAccount;

  const caseOf = async (statusId: string) => (await queue(t)).find((c) => c.post.externalId === statusId);
  const storedTimes = async (statusId: string) =>
    (await t.app.get(DataSource).query(`SELECT count(*)::int AS n FROM post WHERE platform = 'mastodon' AND external_id = $1`, [statusId]))[0].n;

  beforeAll(async () => {
    mastodon = await MastodonImitation.start();
    anna = mastodon.addAccount('anna', { displayName: 'Anna de Vries' });
    // An hour between polls: whatever arrives sooner came because the stream woke the poller.
    const file = mastodonSource(mastodon.url);
    t = await startTestApp({ ...file, sources: file.sources.map((s) => ({ ...s, pollSeconds: 3600 })), worker: { schedule: true, publishEveryMs: 60_000 } }, {
      env: { T_MASTODON: mastodon.accessToken },
    });
    await eventually('the stream opens', 5000, () => mastodon.openStreams === 1);
  });

  afterAll(async () => {
    await t?.close();
    await mastodon?.stop();
  });

  it('queues a mention within seconds, long before the next poll', async () => {
    const posted = Date.now();
    const complaint = mastodon.post(anna, '@acme my parcel still has not arrived after three weeks and nobody answers');
    const item = await eventually('the case is queued', 3000, () => caseOf(complaint.id));
    expect(item).toMatchObject({ status: 'open', customer: { handle: '@anna' } });
    expect(Date.now() - posted).toBeLessThan(3000);
  });

  it('reconnects when the stream drops and reads what came in meanwhile, once', async () => {
    mastodon.dropStreams();
    const missed = mastodon.post(anna, '@acme you charged me twice for order 4411 and I want a refund');
    await eventually('the stream reopens', 5000, () => mastodon.openStreams === 1);
    await eventually('the missed mention is queued', 3000, () => caseOf(missed.id));
    const next = mastodon.post(anna, '@acme the app keeps crashing when I try to pay, broken again');
    await eventually('the next mention is queued', 3000, () => caseOf(next.id));
    expect(await storedTimes(missed.id)).toBe(1);
    expect(await storedTimes(next.id)).toBe(1);
  });
});
