import { Injectable } from '@nestjs/common';
import { ConnectorRegistry } from '../../connector-registry.js';
import { RssConnector } from './rss.connector.js';
import type { IntentVerificationQuery, PushReceipt } from './websub.dto.js';
import { IntentNotRequestedError, NoSubscriptionError, WebSubSourceNotFoundError } from './websub-errors.js';
import type { Push } from './websub-subscriber.js';

// The callback a WebSub hub calls for a feed source: its verification of intent, then the pushes.
@Injectable()
export class WebSubService {
  constructor(private readonly connectors: ConnectorRegistry) {}

  // The challenge to echo: only for a subscription Paradox asked for (a denial of it is noted).
  async verify(sourceId: string, query: IntentVerificationQuery): Promise<string> {
    const answer = await this.connector(sourceId).subscriber!.verify({
      mode: query['hub.mode'],
      topic: query['hub.topic'],
      challenge: query['hub.challenge'],
      leaseSeconds: query['hub.lease_seconds'],
      reason: query['hub.reason'],
    });
    if (!answer) throw new IntentNotRequestedError();
    return answer.body;
  }

  // The body is read once the source is known to take pushes.
  async receive(sourceId: string, headers: Omit<Push, 'body'>, body: () => Promise<Buffer>): Promise<PushReceipt> {
    const connector = this.connector(sourceId);
    const taken = await connector.takePush({ ...headers, body: await body() });
    if (taken.outcome === 'gone') throw new NoSubscriptionError();
    return { outcome: taken.outcome, entries: taken.outcome === 'taken' ? taken.posts.length : 0 };
  }

  private connector(sourceId: string): RssConnector {
    const source = this.connectors.find(sourceId);
    const connector = source && this.connectors.get(sourceId);
    if (!(connector instanceof RssConnector) || !connector.subscriber || !source!.rss!.websub) throw new WebSubSourceNotFoundError(sourceId);
    return connector;
  }
}
