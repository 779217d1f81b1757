import { defaultPollSeconds } from '../src/config/config.loader.js';
import type { SourceConfig } from '../src/config/config.schema.js';
import { SourcePoller } from '../src/sources/source-poller.service.js';
import { FeedServer } from '../test/support/feed-server.js';
import { eventually } from '../test/support/flow.js';
import { WebSubHub } from '../test/support/websub-hub.js';
import type { QueuePlatform } from './time-to-queue.js';

const SOURCE = 'acme-reviews';

// An RSS review feed on the feed server that names a WebSub hub, as FeedBurner, WordPress and
// Blogger feeds do: each complaint is a new entry by a customer of its own, which the hub pushes
// to Paradox's callback. The feed is polled at its default interval (every 600 s) as the safety
// net; the time-to-queue runs from the entry being added to the feed to its case in GET /cases.
export async function rssPlatform(): Promise<QueuePlatform> {
  const feeds = await FeedServer.start();
  const hub = await WebSubHub.start();
  const reviews = feeds.reviewFeed('/acme/reviews.rss', 'Acme Shop reviews', { hub: hub.url });
  const source = { id: SOURCE, brand: 'acme', type: 'rss', rss: { url: reviews.url } };
  return {
    name: 'the feed server and its WebSub hub',
    pollSeconds: defaultPollSeconds(source as SourceConfig),
    file: { brands: [{ id: 'acme', name: 'Acme', defaultLanguage: 'en' }], sources: [source] },
    env: {},
    // Where the hub reaches Paradox, known once it listens; the next poll subscribes.
    async connect(t) {
      t.config.server.publicUrl = t.url;
      const poller = t.app.get(SourcePoller);
      await eventually('a poll of the feed', 10_000, async () => ((await poller.poll(SOURCE)) === 'polled' ? true : undefined));
      await hub.verified(reviews.url);
    },
    async prepare() {},
    async post(i, text) {
      const entry = reviews.add({ title: text, author: `Customer ${i}` });
      const [delivery] = await hub.publish(reviews.url, reviews.body(), reviews.contentType);
      if (delivery?.status !== 202) throw new Error(`the hub's push was answered ${delivery?.status} ${delivery?.body}`);
      return entry.id;
    },
    async stop() {
      await hub.stop();
      await feeds.stop();
    },
  };
}
