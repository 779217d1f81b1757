import { Injectable, Logger, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import { SchedulerRegistry } from '@nestjs/schedule';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { CasesService, SYSTEM_ACTOR } from '../cases/cases.service.js';
import { Clock } from '../common/clock.js';
import { AppConfig } from '../config/app-config.js';
import { ConnectorError } from '../sources/connector-error.js';
import { afterFailure } from '../sources/connector-policy.js';
import { ConnectorRegistry } from '../sources/connector-registry.js';
import type { PublishedReply } from '../sources/social-connector.js';
import { RepliesService } from './replies.service.js';
import { Reply } from './reply.entity.js';

// Longer than any platform call may take, so a live publisher never loses its reply to another.
const LEASE_MS = 60_000;
const RETRY_BASE_MS = 5_000;
const BATCH = 10;

// Drains the outbox: each reply is posted once and recorded with its platform id. A crash after
// posting leaves the reply leased but unconfirmed; the retry carries the same idempotency key.
@Injectable()
export class ReplyPublisher implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(ReplyPublisher.name);
  private stopping = false;

  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly cases: CasesService,
    private readonly replies: RepliesService,
    private readonly connectors: ConnectorRegistry,
    private readonly config: AppConfig,
    private readonly scheduler: SchedulerRegistry,
    private readonly clock: Clock,
  ) {}

  onApplicationBootstrap(): void {
    if (!this.config.worker.schedule) return;
    const tick = () => void this.publishDue().catch((error) => this.logger.error(`publish: ${error}`));
    this.scheduler.addInterval('publish-replies', setInterval(tick, this.config.worker.publishEveryMs));
  }

  onApplicationShutdown(): void {
    this.stopping = true;
  }

  // Publishes every reply that is due; returns how many were confirmed.
  async publishDue(): Promise<number> {
    let published = 0;
    while (!this.stopping) {
      const batch = await this.lease();
      if (!batch.length) break;
      for (const reply of batch) if (await this.publish(reply)) published++;
    }
    return published;
  }

  private async lease(): Promise<Reply[]> {
    const now = this.clock.now();
    const [rows] = await this.db.query(
      `UPDATE reply SET lease_until = $2, attempts = attempts + 1
       WHERE id IN (
         SELECT id FROM reply
         WHERE status = 'queued' AND NOT manual AND not_before <= $1 AND (lease_until IS NULL OR lease_until <= $1)
         ORDER BY not_before LIMIT $3 FOR UPDATE SKIP LOCKED)
       RETURNING id`,
      [now, new Date(now.getTime() + LEASE_MS), BATCH],
    );
    const ids = (rows as { id: string }[]).map((r) => r.id);
    return ids.length ? this.db.getRepository(Reply).find({ where: ids.map((id) => ({ id })), order: { notBefore: 'ASC' } }) : [];
  }

  private async publish(reply: Reply): Promise<boolean> {
    let result: PublishedReply;
    try {
      result = await this.connectors.get(reply.sourceId).postReply({
        kind: reply.kind,
        // A reply retried by hand starts counting again, but an earlier attempt may have posted it.
        attempt: reply.lastError ? Math.max(2, reply.attempts) : reply.attempts,
        text: reply.text,
        inReplyTo: { externalId: reply.inReplyToExternalId, authorHandle: reply.inReplyToHandle },
        visibility: reply.visibility as 'public',
        language: reply.language,
        idempotencyKey: reply.idempotencyKey,
        createdAt: reply.createdAt,
      });
    } catch (error) {
      await this.failed(reply, error);
      return false;
    }
    await this.db.transaction((m) => this.replies.confirmPublished(reply, result, this.clock.now(), null, m));
    return true;
  }

  private async failed(reply: Reply, error: unknown): Promise<void> {
    const now = this.clock.now();
    const decision = afterFailure(error, reply.attempts, now, RETRY_BASE_MS);
    const givingUp = reply.attempts >= this.config.worker.maxPublishAttempts;
    this.logger.warn(`reply ${reply.id} attempt ${reply.attempts} failed: ${decision.message}${givingUp ? '; giving up' : ''}`);
    await this.db.transaction(async (m) => {
      await m.update(Reply, reply.id, {
        status: givingUp ? 'failed' : 'queued',
        lastError: decision.message.slice(0, 500),
        // The lease doubles as the back-off: nobody takes the reply before it runs out.
        leaseUntil: givingUp ? null : decision.backoffUntil,
      });
      await this.cases.recordEvent(reply.caseId, 'reply_failed', SYSTEM_ACTOR, {
        replyId: reply.id,
        kind: reply.kind,
        // A reply retried by hand starts counting again, but an earlier attempt may have posted it.
        attempt: reply.lastError ? Math.max(2, reply.attempts) : reply.attempts,
        error: decision.message,
        code: error instanceof ConnectorError ? error.code : 'TEMPORARY',
        retryAt: givingUp ? null : decision.backoffUntil,
        gaveUp: givingUp,
      }, m);
    });
  }
}
