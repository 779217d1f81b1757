import { type BlueskyAccount, BlueskyNetwork } from '../test/support/bluesky-network.js';
import { defaultPollSeconds } from '../src/config/config.loader.js';
import { SourceConfig } from '../src/config/config.schema.js';
import type { QueuePlatform } from './time-to-queue.js';

// Bluesky's default interval for a source without keywords (defaultPollSeconds).
const POLL_SECONDS = defaultPollSeconds(Object.assign(new SourceConfig(), { type: 'bluesky' }));

// Accounts cost a PDS round of their own: a few customers post all the complaints, each on a
// thread of its own.
const CUSTOMERS = 8;

// A real Bluesky network from @atproto/dev-env: the time-to-queue includes the AppView indexing
// the post and serving it in the brand's notifications.
export async function blueskyPlatform(): Promise<QueuePlatform> {
  const network = await BlueskyNetwork.start();
  const brand = await network.account('acmeshop');
  const customers: BlueskyAccount[] = [];
  return {
    name: 'the Bluesky network',
    pollSeconds: POLL_SECONDS,
    file: {
      brands: [{ id: 'acme', name: 'Acme', defaultLanguage: 'en' }],
      sources: [
        {
          id: 'acme-bluesky',
          brand: 'acme',
          type: 'bluesky',
          pollSeconds: POLL_SECONDS,
          bluesky: { service: network.pdsUrl, identifier: brand.handle, appPasswordEnv: 'T_BLUESKY' },
        },
      ],
    },
    env: { T_BLUESKY: brand.password },
    async prepare(count) {
      for (let i = 0; i < Math.min(count, CUSTOMERS); i++) customers.push(await network.account(`ttq${i}`));
    },
    async post(i, text) {
      // The bench's texts address @acme as on Mastodon; here the brand's handle is a mention facet.
      return (await network.post(customers[i % customers.length], text.replace(/^@acme\b/, `@${brand.handle}`))).uri;
    },
    stop: () => network.stop(),
  };
}
