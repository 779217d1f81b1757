import { RedditImitation, type RedditUser, redditEnv, redditSource } from '../test/support/reddit-imitation.js';
import { defaultPollSeconds } from '../src/config/config.loader.js';
import { SourceConfig } from '../src/config/config.schema.js';
import type { QueuePlatform } from './time-to-queue.js';

// Reddit allows 100 requests a minute per OAuth client (averaged over ten minutes). A quiet poll
// costs one request per feed, all sent at once: the watched subreddits' new posts and new
// comments (every subreddit in one r/a+b listing, so 2 whatever their number), one search per
// keyword, and the inbox: 3 + K requests. A post waits for the next poll, so the p95 is about 0.95
// of the interval P plus one round trip and the store. With 10 requests a minute kept for replies,
// the look-up before a retried reply and the extra pages of a busy minute, (3 + K) × 60 / P <= 90.
// That is Reddit's default interval (defaultPollSeconds): P = 4 s for K = 3 (90 a minute), which
// keeps the p95 under the 5 s target. K = 4 needs P = 5 s (84 a minute), where the expected p95
// (0.95 × 5 s + the round trip) sits on the target itself; K = 5 or more needs P >= 6 s, and the
// target cannot be met.
const SUBREDDITS = ['AcmeSupport', 'phones'];
const KEYWORDS = ['"Acme Shop"', 'AcmeShop', 'acme.example'];
export const REDDIT_POLL_SECONDS = defaultPollSeconds(Object.assign(new SourceConfig(), { type: 'reddit', reddit: { keywords: KEYWORDS } }));
// What a request to Reddit's API takes from afar; the imitation waits as long before answering.
const LATENCY_MS = 200;
const REDDIT_LIMIT_PER_MINUTE = 100;
const CUSTOMERS = 8;

// The Reddit imitation at Reddit's own limit (1,000 requests per ten-minute window), polled at the
// interval above: the time-to-queue includes the round trip.
export async function redditPlatform(): Promise<QueuePlatform> {
  const reddit = await RedditImitation.start({ latencyMs: LATENCY_MS, rateLimit: REDDIT_LIMIT_PER_MINUTE * 10 });
  const config = redditSource(reddit, { subreddits: SUBREDDITS, keywords: KEYWORDS, timeoutMs: 10_000 }, { pollSeconds: REDDIT_POLL_SECONDS });
  const customers: RedditUser[] = [];
  return {
    name: 'the Reddit imitation',
    pollSeconds: REDDIT_POLL_SECONDS,
    file: { brands: config.brands, sources: config.sources },
    env: redditEnv(reddit),
    async prepare(count) {
      for (let i = 0; i < Math.min(count, CUSTOMERS); i++) customers.push(reddit.addUser(`ttq_customer_${i}`));
    },
    async post(i, text) {
      // A link with the complaint as its title, as a customer writes one.
      const link = reddit.submit(customers[i % customers.length], SUBREDDITS[i % SUBREDDITS.length], text.slice(0, 300));
      return (link.data as { name: string }).name;
    },
    async stop() {
      // Every poll reads the inbox once: the requests per poll, and what the interval makes of them.
      const api = reddit.requests.filter((r) => r.path !== '/api/v1/access_token' && r.path !== '/api/v1/me');
      const polls = api.filter((r) => r.path === '/message/inbox').length;
      const perPoll = polls ? api.length / polls : 0;
      console.log(
        `  reddit: ${api.length} API requests over ${polls} polls, ${perPoll.toFixed(1)} a poll: ${((perPoll * 60) / REDDIT_POLL_SECONDS).toFixed(0)} a minute ` +
          `at one poll every ${REDDIT_POLL_SECONDS} s (Reddit allows ${REDDIT_LIMIT_PER_MINUTE}); answered 429: ${api.filter((r) => r.status === 429).length}`,
      );
      await reddit.stop();
    },
  };
}
