import { Injectable, Logger, type OnApplicationBootstrap } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import axios from 'axios';
import { DataSource, In, Not } from 'typeorm';
import { AppConfig } from '../../../config/app-config.js';
import { ConnectorRegistry } from '../../connector-registry.js';
import { FeedSubscription } from './feed-subscription.entity.js';
import { RssConnector } from './rss.connector.js';
import { unsubscribeForm } from './websub.js';
import type { IntentVerificationQuery, PushReceipt } from './websub.dto.js';
import { IntentNotRequestedError, NoSubscriptionError, WebSubSourceNotFoundError } from './websub-errors.js';
import type { IntentAnswer, IntentCheck, Push } from './websub-subscriber.js';

const UNSUBSCRIBE_TIMEOUT_MS = 10_000;

// The callback a WebSub hub calls for a feed source: its verification of intent, then the pushes.
@Injectable()
export class WebSubService implements OnApplicationBootstrap {
  private readonly logger = new Logger(WebSubService.name);

  constructor(
    private readonly connectors: ConnectorRegistry,
    private readonly config: AppConfig,
    @InjectDataSource() private readonly db: DataSource,
  ) {}

  // A feed no longer pushed here (its source left the config, or its websub was turned off) is
  // given back to its hub at start, so the hub stops pushing before the lease runs out. The
  // request is not waited for: an unreachable hub stops at the lease's end all the same.
  async onApplicationBootstrap(): Promise<void> {
    const pushed = this.config.sources.filter((s) => s.type === 'rss' && s.rss!.websub).map((s) => s.id);
    const subscriptions = this.db.getRepository(FeedSubscription);
    const stale = await subscriptions.findBy({ sourceId: Not(In(pushed)) });
    if (!stale.length) return;
    // Gone first: the hub's verification of the unsubscription then finds nothing held here.
    await subscriptions.delete({ sourceId: In(stale.map((s) => s.sourceId)) });
    for (const s of stale) {
      const form = unsubscribeForm({ hub: s.hubUrl, topic: s.topicUrl }, s.callbackUrl).toString();
      void axios
        .post(s.hubUrl, form, { headers: { 'Content-Type': 'application/x-www-form-urlencoded' }, timeout: UNSUBSCRIBE_TIMEOUT_MS, maxRedirects: 0 })
        .catch((error: Error) => this.logger.warn(`source ${s.sourceId}: the hub at ${new URL(s.hubUrl).host} was not told to stop pushing: ${error.message}`));
    }
  }

  // The challenge to echo: only for a subscription Paradox asked for (a denial of it is noted),
  // or for giving back one it no longer holds.
  async verify(sourceId: string, query: IntentVerificationQuery): Promise<string> {
    const check: IntentCheck = {
      mode: query['hub.mode'],
      topic: query['hub.topic'],
      challenge: query['hub.challenge'],
      leaseSeconds: query['hub.lease_seconds'],
      reason: query['hub.reason'],
    };
    const connector = this.pushedFeed(sourceId);
    const answer = connector ? await connector.subscriber!.verify(check) : await this.released(sourceId, check);
    if (answer) return answer.body;
    throw connector ? new IntentNotRequestedError() : new WebSubSourceNotFoundError(sourceId);
  }

  // The body is read once the source is known to take pushes.
  async receive(sourceId: string, headers: Omit<Push, 'body'>, body: () => Promise<Buffer>): Promise<PushReceipt> {
    const connector = this.pushedFeed(sourceId);
    if (!connector) throw new WebSubSourceNotFoundError(sourceId);
    const taken = await connector.takePush({ ...headers, body: await body() });
    if (taken.outcome === 'gone') throw new NoSubscriptionError();
    return { outcome: taken.outcome, entries: taken.outcome === 'taken' ? taken.posts.length : 0 };
  }

  // The connector of a feed source that takes pushes, else null.
  private pushedFeed(sourceId: string): RssConnector | null {
    const source = this.connectors.find(sourceId);
    const connector = source && this.connectors.get(sourceId);
    return connector instanceof RssConnector && connector.subscriber && source!.rss!.websub ? connector : null;
  }

  // Any source that holds no subscription agrees to be unsubscribed.
  private async released(sourceId: string, check: IntentCheck): Promise<IntentAnswer> {
    if (check.mode !== 'unsubscribe' || !check.challenge) return null;
    return (await this.db.getRepository(FeedSubscription).existsBy({ sourceId })) ? null : { body: check.challenge };
  }
}
