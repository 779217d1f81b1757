import { setTimeout as sleep } from 'node:timers/promises';
import type { TestApp } from './test-app.js';
import { SourcePoller } from '../../src/sources/source-poller.service.js';
import { ReplyPublisher } from '../../src/replies/reply-publisher.service.js';

// The app's own workers, driven by the test instead of by the schedule.
export function workers(t: TestApp) {
  const poller = t.app.get(SourcePoller);
  const publisher = t.app.get(ReplyPublisher);
  return {
    poll: (sourceId = 'acme-mastodon') => poller.poll(sourceId),
    publish: () => publisher.publishDue(),
  };
}

export async function queue(t: TestApp) {
  const response = await t.as('agent').get('/cases');
  if (response.status !== 200) throw new Error(`GET /cases: ${response.status} ${JSON.stringify(response.data)}`);
  return response.data.items as Array<Record<string, any>>;
}

// Waits for a condition the app reaches on its own timers; gives up after `ms`.
export async function eventually<T>(what: string, ms: number, check: () => Promise<T | undefined> | T | undefined): Promise<T> {
  const started = Date.now();
  for (;;) {
    const found = await check();
    if (found !== undefined && found !== false) return found;
    if (Date.now() - started > ms) throw new Error(`${what}: not within ${ms} ms`);
    await sleep(25);
  }
}
