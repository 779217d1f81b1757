import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { Clock } from '../common/clock.js';
import { AppConfig, type ResolvedSource } from '../config/app-config.js';
import { BlueskyConnector } from './connectors/bluesky/bluesky.connector.js';
import { DemoConnector } from './connectors/demo/demo.connector.js';
import { MastodonConnector } from './connectors/mastodon/mastodon.connector.js';
import { WebhookConnector } from './connectors/webhook/webhook.connector.js';
import { RssConnector } from './connectors/rss/rss.connector.js';
import { WebSubSubscriber } from './connectors/rss/websub-subscriber.js';
import { XConnector } from './connectors/x/x.connector.js';
import { RedditConnector } from './connectors/reddit/reddit.connector.js';
import type { SocialConnector } from './social-connector.js';
import { sourceCredentials } from './source-credentials.js';

// One connector per configured source, built once from the validated config.
@Injectable()
export class ConnectorRegistry {
  private readonly connectors = new Map<string, SocialConnector>();

  constructor(
    private readonly config: AppConfig,
    clock: Clock,
    @InjectDataSource() db: DataSource,
  ) {
    for (const source of config.sources) this.connectors.set(source.id, connectorFor(source, config, clock, db));
  }

  get(sourceId: string): SocialConnector {
    const connector = this.connectors.get(sourceId);
    if (!connector) throw new Error(`No source ${sourceId} is configured`);
    return connector;
  }

  find(sourceId: string): ResolvedSource | undefined {
    return this.config.sources.find((s) => s.id === sourceId);
  }

  source(sourceId: string): ResolvedSource {
    const source = this.find(sourceId);
    if (!source) throw new Error(`No source ${sourceId} is configured`);
    return source;
  }
}

function connectorFor(source: ResolvedSource, config: AppConfig, clock: Clock, db: DataSource): SocialConnector {
  switch (source.type) {
    case 'mastodon':
      return new MastodonConnector(source);
    case 'bluesky':
      return new BlueskyConnector(source);
    case 'demo':
      return new DemoConnector(source, clock);
    case 'webhook':
      return new WebhookConnector(source, clock);
    case 'rss':
      // The hub's callback is built on the public URL, read when a subscription is made.
      return new RssConnector(source, clock, new WebSubSubscriber(source, () => config.server.publicUrl, db, clock));
    case 'x':
      // X rotates the refresh token: the connector keeps the newest in its source's state row.
      return new XConnector(source, clock, sourceCredentials(db, source.id, 'x'));
    case 'reddit':
      return new RedditConnector(source, clock);
    default:
      throw new Error(`sources: ${source.type} is not connected yet`);
  }
}
