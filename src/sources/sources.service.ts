import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { brandsFor, type Caller } from '../auth/caller.js';
import { READERS } from '../auth/roles.decorator.js';
import { Clock } from '../common/clock.js';
import { AppConfig } from '../config/app-config.js';
import { FeedSubscription } from './connectors/rss/feed-subscription.entity.js';
import { pushStatus, sourceAlerts, type SourceTraffic, TRAFFIC_WINDOW_MS } from './source-alerts.js';
import { SourcePoller } from './source-poller.service.js';

@Injectable()
export class SourcesService {
  constructor(
    private readonly config: AppConfig,
    private readonly poller: SourcePoller,
    private readonly clock: Clock,
    @InjectDataSource() private readonly db: DataSource,
  ) {}

  async health(caller: Caller) {
    const brands = brandsFor(caller, READERS);
    const states = new Map((await this.poller.states()).map((s) => [s.sourceId, s]));
    const now = this.clock.now();
    const traffic = await this.recentTraffic(now);
    const visible = this.config.sources.filter((s) => brands === 'all' || brands.includes(s.brand));
    const subscriptions = new Map((await this.db.getRepository(FeedSubscription).find()).map((f) => [f.sourceId, f]));
    return visible.map((source) => {
      const s = states.get(source.id);
      const push = subscriptions.get(source.id);
      return {
        id: source.id,
        brandId: source.brand,
        type: source.type,
        demo: source.type === 'demo',
        pollSeconds: source.pollSeconds,
        healthy: s?.healthy ?? null,
        backingOff: !!s?.backoffUntil && s.backoffUntil > now,
        backoffUntil: s?.backoffUntil ?? null,
        consecutiveFailures: s?.consecutiveFailures ?? 0,
        lastPolledAt: s?.lastPolledAt ?? null,
        lastSuccessAt: s?.lastSuccessAt ?? null,
        lastError: s?.lastError ?? null,
        lastErrorAt: s?.lastErrorAt ?? null,
        rateLimitRemaining: s?.rateLimitRemaining ?? null,
        rateLimitResetAt: s?.rateLimitResetAt ?? null,
        postsIngested: s?.postsIngested ?? 0,
        // A feed's WebSub subscription: its hub (by host; a feed URL may carry a key), where it stands and what it pushed.
        push: push
          ? {
              hub: new URL(push.hubUrl).host,
              status: pushStatus(push, now),
              requestedAt: push.requestedAt,
              verifiedAt: push.verifiedAt,
              leaseExpiresAt: push.leaseExpiresAt,
              lastPushAt: push.lastPushAt,
              pushes: push.pushes,
              refusedPushes: push.refusedPushes,
              lastError: push.lastError,
              lastErrorAt: push.lastErrorAt,
            }
          : null,
        alerts: sourceAlerts(
          { healthy: s?.healthy ?? null, lastError: s?.lastError ?? null, lastErrorAt: s?.lastErrorAt ?? null },
          traffic.get(source.id) ?? { recentPosts: 0, lastPostAt: null },
          now,
          push ?? null,
        ),
      };
    });
  }

  // Each source's posts of the last week (ix_post_source_fetched_at), for the silent-channel alert.
  private async recentTraffic(now: Date): Promise<Map<string, SourceTraffic>> {
    const rows: { source_id: string; recent: number; last: Date }[] = await this.db.query(
      `SELECT source_id, count(*)::int AS recent, max(fetched_at) AS last FROM post
       WHERE source_id = ANY($1) AND fetched_at > $2 GROUP BY source_id`,
      [this.config.sources.map((s) => s.id), new Date(now.getTime() - TRAFFIC_WINDOW_MS)],
    );
    return new Map(rows.map((r) => [r.source_id, { recentPosts: r.recent, lastPostAt: new Date(r.last) }]));
  }
}
