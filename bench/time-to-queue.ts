import { performance } from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';
import { DataSource } from 'typeorm';
import { AnalysisService } from '../src/analysis/analysis.service.js';
import { SourcePoller } from '../src/sources/source-poller.service.js';
import { type ImitationAccount, MastodonImitation } from '../test/support/mastodon-imitation.js';
import { mastodonSource } from '../test/support/test-app.js';
import { defaultPollSeconds } from '../src/config/config.loader.js';
import { SourceConfig } from '../src/config/config.schema.js';
import { createBenchDatabase, type DatabaseKind, startBenchApp } from './bench-app.js';
import { complaintText } from './mention-factory.js';
import { seededRandom } from './stats.js';
import type { TestApp } from '../test/support/test-app.js';

export const POLL_SECONDS = 1;
const POSTS = 40;
const WATCH_EVERY_MS = 20;
// A post not in the queue by then is reported as lost, not waited on for ever.
const GIVE_UP_MS = 30_000;

export interface TimeToQueue {
  samples: number[];
  lost: number;
  // What went wrong on the way, counted rather than fatal: a failed GET or poll is part of the finding.
  failedReads: number;
  polls: Record<string, number>;
  firstError: string | null;
}

// Where the complaints appear: the Mastodon imitation, or a real Bluesky network.
export interface QueuePlatform {
  name: string;
  pollSeconds: number;
  // The app's sources, brands and the secrets they name.
  file: Record<string, unknown>;
  env: Record<string, string>;
  // Customers to post as, made before the clock starts.
  prepare(customers: number): Promise<void>;
  // Puts the text on the platform as customer i; the post's external id once it is there.
  post(customer: number, text: string): Promise<string>;
  // A platform that calls Paradox (a signed webhook, a WebSub hub) instead of waiting for a poll:
  // told where the app listens, and timed from the first post once it has connected.
  connect?(t: TestApp): Promise<void> | void;
  stop(): Promise<void>;
}

// The real scheduler polls the platform every POLL_SECONDS while complaints appear on it one by
// one at random moments; each is timed from the moment it is posted to its case showing in GET /cases.
export async function measureTimeToQueue(kind: DatabaseKind, serverUrl: string, platform: QueuePlatform, posts = POSTS): Promise<TimeToQueue> {
  const db = await createBenchDatabase(kind, serverUrl);
  await platform.prepare(posts);
  const t = await startBenchApp({ ...platform.file, worker: { schedule: true, publishEveryMs: 2000 } }, db, platform.env);
  const result: TimeToQueue = { samples: [], lost: 0, failedReads: 0, polls: {}, firstError: null };
  const noteError = (message: string) => (result.firstError ??= message);
  // The scheduler calls poll through the instance: count what each tick came to.
  const poller = t.app.get(SourcePoller);
  const poll = poller.poll.bind(poller);
  let polledOnce = false;
  poller.poll = async (sourceId) => {
    try {
      const outcome = await poll(sourceId);
      result.polls[outcome] = (result.polls[outcome] ?? 0) + 1;
      if (outcome === 'polled') polledOnce = true;
      if (outcome === 'failed') {
        const [state] = await t.app.get(DataSource).query('SELECT last_error FROM source_state WHERE source_id = $1', [sourceId]);
        noteError(`poll failed: ${state?.last_error}`);
      }
      return outcome;
    } catch (error) {
      result.polls.threw = (result.polls.threw ?? 0) + 1;
      noteError(`poll threw: ${(error as Error).message}`);
      throw error;
    }
  };
  try {
    await platform.connect?.(t);
    // The first poll also learns the brand's own account: start the clock once it has answered.
    const firstPoll = performance.now();
    while (!polledOnce && !platform.connect) {
      if (performance.now() - firstPoll > GIVE_UP_MS) throw new Error(`the scheduler never polled ${platform.name}`);
      await sleep(WATCH_EVERY_MS);
    }
    const random = seededRandom(11);
    const texts = complaints(t.app.get(AnalysisService), posts);
    const pending = new Map<string, number>();
    let posting = true;

    // A hung database must end the phase, not the bench.
    const agent = t.as('agent');
    agent.defaults.timeout = 5_000;
    const watch = async () => {
      while (posting || pending.size) {
        const response = await agent.get('/cases', { params: { limit: 200 } }).catch((error: Error) => ({ status: 0, data: error.message }));
        const seen = performance.now();
        if (response.status === 200) {
          for (const item of response.data.items as { post: { externalId: string } }[]) {
            const postedAt = pending.get(item.post.externalId);
            if (postedAt === undefined) continue;
            result.samples.push(seen - postedAt);
            pending.delete(item.post.externalId);
          }
        } else {
          result.failedReads += 1;
          noteError(`GET /cases: ${response.status} ${JSON.stringify(response.data)}`);
        }
        for (const [id, postedAt] of pending) if (seen - postedAt > GIVE_UP_MS) pending.delete(id);
        await sleep(WATCH_EVERY_MS);
      }
    };
    const watching = watch();

    for (let i = 0; i < posts; i++) {
      // Spread over every phase of the poll interval, sometimes several between two polls.
      await sleep(50 + random() * 650);
      const at = performance.now();
      pending.set(await platform.post(i, texts[i]), at);
    }
    posting = false;
    await watching;
    result.lost = posts - result.samples.length;
    return result;
  } finally {
    await t.close();
    await db.stop();
    await platform.stop();
  }
}

// Polling every POLL_SECONDS with the stream off, or the stream with the default poll interval.
export async function mastodonPlatform(mode: 'polling' | 'streaming'): Promise<QueuePlatform> {
  const mastodon = await MastodonImitation.start({ rateLimit: 1_000_000 });
  const base = mastodonSource(mastodon.url, { streaming: mode === 'streaming' });
  const customers: ImitationAccount[] = [];
  const pollSeconds = mode === 'polling' ? POLL_SECONDS : defaultPollSeconds(base.sources[0] as SourceConfig);
  return {
    name: 'the Mastodon imitation',
    pollSeconds,
    file: { ...base, sources: base.sources.map((s) => ({ ...s, pollSeconds })) },
    env: { T_MASTODON: mastodon.accessToken },
    async prepare(count) {
      for (let i = 0; i < count; i++) customers.push(mastodon.addAccount(`ttq${i}`, { displayName: `Customer ${i}`, followers: i * 10 }));
    },
    async post(i, text) {
      return mastodon.post(customers[i], text, { language: null }).id;
    },
    stop: () => mastodon.stop(),
  };
}

// Each post must open a case to be timed: keep the texts the app's own analysis calls complaints.
function complaints(analysis: AnalysisService, count: number): string[] {
  const texts: string[] = [];
  for (let i = 0; texts.length < count; i++) {
    if (i > count * 20) throw new Error(`the analysis calls fewer than ${count} of the bench's complaint texts complaints`);
    const text = complaintText(i);
    if (analysis.analyse({ text, lang: null, brandHandles: ['@acme'] }).complaint.label) texts.push(text);
  }
  return texts;
}
