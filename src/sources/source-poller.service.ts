import { setTimeout as sleep } from 'node:timers/promises';
import { Injectable, Logger, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import { SchedulerRegistry } from '@nestjs/schedule';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { Clock } from '../common/clock.js';
import { AppConfig, type ResolvedSource } from '../config/app-config.js';
import { ConnectorRegistry } from './connector-registry.js';
import { afterFailure } from './connector-policy.js';
import { type IngestPage, IngestService } from './ingest.service.js';
import type { RateLimitState } from './social-connector.js';
import { SourceState } from './source-state.entity.js';

export type PollOutcome = 'polled' | 'busy' | 'backing-off' | 'failed';

// A poll holds its source this long at most; a crashed poller's lease simply runs out.
const LEASE_MS = 2 * 60_000;
// Pages taken in one poll before yielding to the next tick.
const MAX_PAGES = 20;
// A woken poll that finds the source leased tries again this often, for about two seconds.
const WAKE_RETRY_MS = 100;
const WAKE_ATTEMPTS = 20;

@Injectable()
export class SourcePoller implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(SourcePoller.name);
  private stopping = false;
  private readonly unwatch: (() => void)[] = [];
  // Wake-ups of this process: a source being polled for a wake-up, and those woken again meanwhile.
  private readonly waking = new Set<string>();
  private readonly wokenAgain = new Set<string>();

  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly config: AppConfig,
    private readonly connectors: ConnectorRegistry,
    private readonly ingest: IngestService,
    private readonly scheduler: SchedulerRegistry,
    private readonly clock: Clock,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    // Every configured source has its state row from the start, so a poll only updates it.
    await this.db.query(
      `INSERT INTO source_state (source_id, platform) SELECT * FROM unnest($1::text[], $2::text[]) ON CONFLICT (source_id) DO NOTHING`,
      [this.config.sources.map((s) => s.id), this.config.sources.map((s) => this.connectors.get(s.id).platform)],
    );
    if (!this.config.worker.schedule) return;
    for (const source of this.config.sources) {
      // A source that is called (a signed webhook) has nothing to poll.
      if (!this.connectors.get(source.id).polls) continue;
      const tick = () => void this.poll(source.id).catch((error) => this.logger.error(`poll ${source.id}: ${error}`));
      this.scheduler.addInterval(`poll:${source.id}`, setInterval(tick, source.pollSeconds * 1000));
      setImmediate(tick);
      this.unwatch.push(this.connectors.get(source.id).watch(() => this.wake(source.id)));
    }
  }

  onApplicationShutdown(): void {
    this.stopping = true;
    for (const stop of this.unwatch) stop();
  }

  // A streaming platform says something is waiting: poll now. Wake-ups during a poll make one
  // more; a poll held by the schedule (or another process) is waited for, briefly.
  wake(sourceId: string): void {
    if (this.waking.has(sourceId)) {
      this.wokenAgain.add(sourceId);
      return;
    }
    this.waking.add(sourceId);
    const run = async () => {
      do {
        this.wokenAgain.delete(sourceId);
        for (let attempt = 0; attempt < WAKE_ATTEMPTS && !this.stopping; attempt++) {
          if ((await this.poll(sourceId)) !== 'busy') break;
          await sleep(WAKE_RETRY_MS);
        }
      } while (this.wokenAgain.has(sourceId) && !this.stopping);
    };
    void run()
      .catch((error) => this.logger.error(`poll ${sourceId} on a wake-up: ${error}`))
      .finally(() => this.waking.delete(sourceId));
  }

  async poll(sourceId: string): Promise<PollOutcome> {
    if (this.stopping) return 'busy';
    const source = this.connectors.source(sourceId);
    const connector = this.connectors.get(sourceId);
    const now = this.clock.now();
    // Conditional update: one poller per source, and none while the source backs off.
    const [leased] = await this.db.query(
      `UPDATE source_state SET lease_until = $2, last_polled_at = $3
       WHERE source_id = $1 AND (lease_until IS NULL OR lease_until <= $3) AND (backoff_until IS NULL OR backoff_until <= $3)
       RETURNING source_id`,
      [sourceId, new Date(now.getTime() + LEASE_MS), now],
    );
    if (!leased.length) {
      const state = await this.state(sourceId);
      return state.backoffUntil && state.backoffUntil > now ? 'backing-off' : 'busy';
    }
    const state = await this.state(sourceId);
    try {
      let own = state.ownAccountId ? { externalId: state.ownAccountId, handle: state.ownAccountHandle ?? '' } : null;
      if (!own) {
        own = await connector.ownAccount();
        await this.db.query('UPDATE source_state SET own_account_id = $2, own_account_handle = $3 WHERE source_id = $1', [sourceId, own.externalId, own.handle]);
      }
      let backoffUntil: Date | null = null;
      let rateLimit: RateLimitState | null = null;
      // The brand's own posts are never complaints. The next page is fetched while this one is stored.
      const pages = async function* (): AsyncGenerator<IngestPage> {
        let cursor = state.cursor;
        for (let page = 0; page < MAX_PAGES; page++) {
          const fetched = await connector.fetchNew(cursor);
          rateLimit = fetched.rateLimit;
          yield { posts: fetched.posts.filter((p) => p.author.externalId !== own.externalId), cursor: fetched.cursor };
          cursor = fetched.cursor;
          if (rateLimit?.remaining === 0 && rateLimit.resetAt) {
            // The quota is spent: wait for the reset rather than earn a 429.
            backoffUntil = rateLimit.resetAt;
            return;
          }
          if (!fetched.hasMore) return;
        }
      };
      await this.ingest.ingestPages(source, connector.platform, own.handle, pages());
      await this.succeeded(source.id, backoffUntil, rateLimit);
      return 'polled';
    } catch (error) {
      await this.failed(source, state.consecutiveFailures + 1, error);
      return 'failed';
    }
  }

  async states(): Promise<SourceState[]> {
    return this.db.getRepository(SourceState).find({ order: { sourceId: 'ASC' } });
  }

  private async state(sourceId: string): Promise<SourceState> {
    return this.db.getRepository(SourceState).findOneByOrFail({ sourceId });
  }

  private async succeeded(sourceId: string, backoffUntil: Date | null, rateLimit: RateLimitState | null): Promise<void> {
    await this.db.getRepository(SourceState).update(sourceId, {
      healthy: true,
      consecutiveFailures: 0,
      lastSuccessAt: this.clock.now(),
      backoffUntil,
      leaseUntil: null,
      rateLimitRemaining: rateLimit?.remaining ?? null,
      rateLimitResetAt: rateLimit?.resetAt ?? null,
    });
  }

  private async failed(source: ResolvedSource, failures: number, error: unknown): Promise<void> {
    const now = this.clock.now();
    const decision = afterFailure(error, failures, now, source.pollSeconds * 1000);
    this.logger.warn(`source ${source.id} failed (${failures} in a row), backing off until ${decision.backoffUntil.toISOString()}: ${decision.message}`);
    await this.db.getRepository(SourceState).update(source.id, {
      healthy: false,
      consecutiveFailures: failures,
      lastError: decision.message.slice(0, 500),
      lastErrorAt: now,
      backoffUntil: decision.backoffUntil,
      leaseUntil: null,
    });
  }
}
