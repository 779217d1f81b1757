import { defaultPollSeconds } from '../src/config/config.loader.js';
import { SourceConfig } from '../src/config/config.schema.js';
import { type XAccount, XImitation, xSource } from '../test/support/x-imitation.js';
import type { QueuePlatform } from './time-to-queue.js';

// X's filtered stream (X's Pro and Enterprise access) with the default poll interval, as the
// Mastodon stream channel runs. The stream hands each post over without a request; the poll (a
// mention request every 60 s, 15 of the 180 X allows per user in 15 minutes) reads the feeds from
// the stored cursor. Without the stream X can only be polled: a post waits for the next poll, so
// p95 is about 95% of the interval, and the 180 mention requests per 15 minutes allow one every
// 5 s at the very most (at 6 s p95 measured about 5.5 s; at the default 60 s about 57 s).
export async function xPlatform(): Promise<QueuePlatform> {
  const x = await XImitation.start();
  const pollSeconds = defaultPollSeconds(Object.assign(new SourceConfig(), { type: 'x' }));
  const base = xSource(x.url, { timeoutMs: 10_000, streaming: true, bearerTokenEnv: 'T_X_APP' }, { pollSeconds });
  const customers: XAccount[] = [];
  return {
    name: 'the X imitation',
    pollSeconds,
    file: { brands: base.brands, sources: base.sources },
    env: { T_X: x.accessToken, T_X_APP: x.bearerToken },
    async prepare(count) {
      for (let i = 0; i < count; i++) customers.push(x.addAccount(`ttq${i}`, { name: `Customer ${i}`, followers: i * 10 }));
    },
    async post(i, text) {
      return x.post(customers[i], text).id;
    },
    stop: () => x.stop(),
  };
}
