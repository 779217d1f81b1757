import { FeedServer } from '../test/support/feed-server.js';
import type { QueuePlatform } from './time-to-queue.js';

// A feed has no push: Paradox sees an entry at its next poll, so the time-to-queue is mostly the
// wait for that poll. A real feed is polled every 10 to 15 minutes (600-900 s): most sites and
// Google Alerts change no faster than that, and even a 304 is a request to someone else's
// server. The bench polls the feed server every 3 seconds, the interval that keeps p95 within
// 5 s, to measure Paradox's own part; on a real feed expect up to the poll interval on top.
export const RSS_POLL_SECONDS = 3;

// An RSS review feed on the feed server: each complaint is a new entry by a customer of its own.
export async function rssPlatform(): Promise<QueuePlatform> {
  const feeds = await FeedServer.start();
  const reviews = feeds.reviewFeed('/acme/reviews.rss', 'Acme Shop reviews');
  return {
    name: 'the feed server',
    pollSeconds: RSS_POLL_SECONDS,
    file: {
      brands: [{ id: 'acme', name: 'Acme', defaultLanguage: 'en' }],
      sources: [{ id: 'acme-reviews', brand: 'acme', type: 'rss', pollSeconds: RSS_POLL_SECONDS, rss: { url: reviews.url } }],
    },
    env: {},
    async prepare() {},
    async post(i, text) {
      return reviews.add({ title: text, author: `Customer ${i}` }).id;
    },
    stop: () => feeds.stop(),
  };
}
