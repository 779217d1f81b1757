import { Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { plainToInstance } from 'class-transformer';
import { validate } from 'class-validator';
import { DataSource } from 'typeorm';
import { BadRequestError } from '../../../common/app-error.js';
import { Clock } from '../../../common/clock.js';
import { invalidFields } from '../../../common/validation.js';
import { AppConfig, type ResolvedSource } from '../../../config/app-config.js';
import { ConnectorRegistry } from '../../connector-registry.js';
import { IngestService } from '../../ingest.service.js';
import type { FetchedPost } from '../../social-connector.js';
import { SourceState } from '../../source-state.entity.js';
import { WebhookDelivery, type WebhookReceipt } from './webhook-delivery.dto.js';
import { WebhookContentTypeError, WebhookRefusedError, WebhookSourceNotFoundError } from './webhook-errors.js';
import { checkSignature } from './webhook-signature.js';
import { storedId } from './webhook.connector.js';

// A request to POST /webhooks/:sourceId as it arrived.
export interface IncomingDelivery {
  contentType: string | undefined;
  timestamp: string | undefined;
  signature: string | undefined;
  // The exact bytes sent, which the signature covers; body is the same parsed.
  rawBody: Buffer | undefined;
  body: unknown;
}

const JSON_TYPE = /^application\/json\s*(;|$)/i;

// Takes in signed deliveries: the one source that is called rather than polled. Nothing is stored
// before the signature holds, and the post then goes the way every polled post goes (IngestService).
@Injectable()
export class WebhooksService {
  private readonly logger = new Logger(WebhooksService.name);

  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly config: AppConfig,
    private readonly connectors: ConnectorRegistry,
    private readonly ingest: IngestService,
    private readonly clock: Clock,
  ) {}

  async receive(sourceId: string, delivery: IncomingDelivery): Promise<WebhookReceipt> {
    const source = this.config.sources.find((s) => s.id === sourceId && s.type === 'webhook');
    if (!source) throw new WebhookSourceNotFoundError(sourceId);
    if (!JSON_TYPE.test(delivery.contentType ?? '')) throw new WebhookContentTypeError();
    const now = this.clock.now();
    const check = checkSignature(
      { timestamp: delivery.timestamp, signature: delivery.signature, body: delivery.rawBody ?? Buffer.alloc(0) },
      source.secrets.secret,
      source.webhook!.toleranceSeconds,
      now,
    );
    if (!check.ok) {
      // Anyone can call the URL: a refused call is recorded, but only a signed delivery says
      // anything about the caller's integration, so it leaves the source's health as it is.
      await this.failed(source, `${check.code}: ${check.reason}`, now, false);
      throw new WebhookRefusedError(check.code, check.reason);
    }
    const payload = await this.validated(source, delivery.body, now);
    const post = toPost(source, payload, delivery.body, now);
    const connector = this.connectors.get(source.id);
    const own = await connector.ownAccount();
    const result = await this.ingest.ingest(source, connector.platform, [post], {}, own.handle);
    const [stored]: { id: string; case_id: string | null }[] = await this.db.query(
      `SELECT p.id, l.case_id FROM post p LEFT JOIN thread_link l ON l.platform = p.platform AND l.external_id = p.external_id
       WHERE p.platform = $1 AND p.external_id = $2`,
      [connector.platform, post.externalId],
    );
    await this.db.getRepository(SourceState).update(source.id, { healthy: true, consecutiveFailures: 0, lastSuccessAt: now });
    return { postId: stored.id, caseId: stored.case_id, duplicate: result.stored === 0 };
  }

  // A signed delivery that breaks the contract is the caller's integration failing: the source
  // shows unhealthy until a delivery is accepted again.
  private async validated(source: ResolvedSource, body: unknown, now: Date): Promise<WebhookDelivery> {
    if (typeof body !== 'object' || body === null || Array.isArray(body)) {
      await this.failed(source, 'WEBHOOK.INVALID_PAYLOAD: the body is not a JSON object', now, true);
      throw new BadRequestError('VALIDATION', 'Invalid body: a JSON object', { fields: [{ field: 'body', problems: ['a JSON object'] }] });
    }
    const delivery = plainToInstance(WebhookDelivery, body);
    const errors = await validate(delivery, { whitelist: true, forbidNonWhitelisted: true });
    if (errors.length) {
      const refusal = invalidFields(errors);
      await this.failed(source, `WEBHOOK.INVALID_PAYLOAD: ${refusal.message}`, now, true);
      throw refusal;
    }
    return delivery;
  }

  private async failed(source: ResolvedSource, message: string, now: Date, unhealthy: boolean): Promise<void> {
    this.logger.warn(`source ${source.id} refused a delivery: ${message}`);
    await this.db.query(
      `UPDATE source_state SET consecutive_failures = consecutive_failures + 1, last_error = $2, last_error_at = $3,
         healthy = healthy AND NOT $4 WHERE source_id = $1`,
      [source.id, message.slice(0, 500), now, unhealthy],
    );
  }
}

// A delivery as Paradox stores it; raw is the payload as the caller sent it.
function toPost(source: ResolvedSource, delivery: WebhookDelivery, raw: unknown, now: Date): FetchedPost {
  // A caller's clock running ahead must not put the post (and its deadline) in the future.
  const postedAt = delivery.postedAt ? new Date(Math.min(new Date(delivery.postedAt).getTime(), now.getTime())) : now;
  return {
    externalId: storedId(source.id, delivery.id),
    url: delivery.url ?? null,
    text: delivery.text,
    language: delivery.language ?? null,
    // Between the customer and the brand, not a public post.
    visibility: 'direct',
    postedAt,
    inReplyToExternalId: delivery.inReplyTo ? storedId(source.id, delivery.inReplyTo) : null,
    author: {
      externalId: storedId(source.id, delivery.author.id),
      handle: delivery.author.handle ?? delivery.author.id,
      displayName: delivery.author.name || null,
      followers: null,
    },
    raw,
  };
}
