import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, type EntityManager } from 'typeorm';
import { AuditService, SYSTEM } from '../audit/audit.service.js';
import type { Caller } from '../auth/caller.js';
import { READERS, WORKERS } from '../auth/roles.decorator.js';
import { QUEUE_STATUSES, type Case } from '../cases/case.entity.js';
import { caseReference } from '../cases/case-rules.js';
import { CasesService, SYSTEM_ACTOR } from '../cases/cases.service.js';
import { Clock } from '../common/clock.js';
import { AppConfig } from '../config/app-config.js';
import { ConnectorRegistry } from '../sources/connector-registry.js';
import { Post } from '../sources/post.entity.js';
import { type PublishedReply, addressedText } from '../sources/social-connector.js';
import { AlreadyAcknowledgedError, ReplyNotDueError, ReplyNotFailedError, ReplyNotFoundError, ReplyNotManualError, ReplyTooLongError } from './reply-errors.js';
import { greetingName, renderTemplate, templatesFor } from './reply-templates.js';
import { Reply, type ReplyKind } from './reply.entity.js';

@Injectable()
export class RepliesService {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly cases: CasesService,
    private readonly connectors: ConnectorRegistry,
    private readonly config: AppConfig,
    private readonly clock: Clock,
    private readonly audit: AuditService,
  ) {}

  // The text an agent starts from: the brand's template in the customer's language.
  async draft(caller: Caller, caseId: string, kind: ReplyKind): Promise<{ language: string; text: string }> {
    const c = await this.cases.getFor(caller, caseId, WORKERS);
    const target = await this.latestCustomerPost(c, this.db.manager);
    return { language: c.language, text: this.render(c, target, kind) };
  }

  // Queues the public acknowledgement on the customer's thread; the publisher sends it.
  async acknowledge(caseId: string, caller: Caller, text?: string): Promise<Reply> {
    return this.db.transaction(async (m) => {
      await this.cases.getFor(caller, caseId, WORKERS, m);
      // The claim's row lock makes a second acknowledgement wait here, then see the first.
      const c = await this.cases.holdOrClaim(caseId, caller.name, QUEUE_STATUSES, 'acknowledged', m);
      const pending = await m.countBy(Reply, { caseId, kind: 'acknowledgement', status: 'queued' });
      if (c.acknowledgedAt || pending) throw new AlreadyAcknowledgedError();
      const target = await this.latestCustomerPost(c, m);
      const reply = await this.enqueue(c, target, 'acknowledgement', text ?? this.render(c, target, 'acknowledgement'), this.clock.now(), caller.name, m);
      await this.audit.record(m, { actor: caller, action: 'reply.written', brandId: c.brandId, caseId: c.id, replyId: reply.id, data: { kind: reply.kind, text: reply.text, edited: text !== undefined } });
      return reply;
    });
  }

  async queueFollowUp(c: Case, agent: string, m: EntityManager): Promise<Reply> {
    const target = await this.latestCustomerPost(c, m);
    const reply = await this.enqueue(c, target, 'follow_up', this.render(c, target, 'follow_up'), c.followUpDueAt ?? this.clock.now(), agent, m);
    await this.cases.recordEvent(c.id, 'follow_up_scheduled', agent, { replyId: reply.id, dueAt: reply.notBefore }, m);
    return reply;
  }

  async forCase(caller: Caller, caseId: string): Promise<Reply[]> {
    await this.cases.getFor(caller, caseId);
    return this.db.getRepository(Reply).find({ where: { caseId }, order: { createdAt: 'ASC' } });
  }

  // The platform took the reply (or an agent posted it by hand): record where it is, link it to
  // the thread so an answer to it finds the case, and move the case on.
  async confirmPublished(reply: Reply, published: PublishedReply | null, at: Date, by: Caller | null, m: EntityManager): Promise<void> {
    await m.update(Reply, reply.id, {
      status: 'published',
      externalId: published?.externalId ?? null,
      externalUrl: published?.url ?? null,
      publishedAt: at,
      publishedBy: by?.name ?? null,
      leaseUntil: null,
      lastError: null,
    });
    if (published) await this.cases.link(reply.caseId, reply.platform, published.externalId, m);
    await this.cases.recordEvent(
      reply.caseId,
      'reply_published',
      by?.name ?? SYSTEM_ACTOR,
      { replyId: reply.id, kind: reply.kind, externalId: published?.externalId ?? null, url: published?.url ?? null, text: reply.text, manual: reply.manual },
      m,
      at,
    );
    // The first public reply of any kind acknowledges the case (later ones may be its first
    // response: CasesService.markReplied); the follow-up asks after the fix.
    if (reply.kind === 'follow_up') await this.cases.markFollowUpSent(reply.caseId, at, m);
    else await this.cases.markReplied(reply.caseId, reply, at, m);
    const c = await this.cases.get(reply.caseId, m);
    await this.audit.record(m, {
      actor: by ?? SYSTEM,
      action: by ? 'reply.recorded' : 'reply.published',
      brandId: c.brandId,
      caseId: c.id,
      replyId: reply.id,
      at,
      data: { kind: reply.kind, text: reply.text, platform: reply.platform, externalId: published?.externalId ?? null, url: published?.url ?? null },
    });
  }

  // An agent posted a reply by hand where the post lives (a review site, a forum) and records it.
  async recordManual(replyId: string, caller: Caller, url: string | null): Promise<Reply> {
    return this.db.transaction(async (m) => {
      const reply = await m.findOne(Reply, { where: { id: replyId }, lock: { mode: 'pessimistic_write' } });
      if (!reply) throw new ReplyNotFoundError(replyId);
      await this.cases.getFor(caller, reply.caseId, WORKERS, m);
      if (!reply.manual || reply.status !== 'queued') throw new ReplyNotManualError(reply.status, reply.manual);
      const now = this.clock.now();
      if (reply.notBefore > now) throw new ReplyNotDueError(reply.notBefore);
      await this.confirmPublished(reply, url ? { externalId: url, url } : null, now, caller, m);
      return m.findOneByOrFail(Reply, { id: replyId });
    });
  }

  // The conversation around the customer's latest post, as the platform shows it now.
  async thread(caller: Caller, caseId: string) {
    const c = await this.cases.getFor(caller, caseId, READERS);
    const target = await this.latestCustomerPost(c, this.db.manager);
    const connector = this.connectors.get(c.sourceId);
    const posts = await connector.fetchThread(target.externalId);
    const stored = new Set(
      posts.length
        ? (await this.db.getRepository(Post).find({ select: { externalId: true }, where: posts.map((p) => ({ platform: c.platform, externalId: p.externalId })) })).map((p) => p.externalId)
        : [],
    );
    return {
      caseId: c.id,
      platform: c.platform,
      around: target.externalId,
      posts: posts.map((p) => ({
        externalId: p.externalId,
        url: p.url,
        text: p.text,
        postedAt: p.postedAt,
        inReplyToExternalId: p.inReplyToExternalId,
        author: { handle: p.author.handle, displayName: p.author.displayName },
        customer: p.author.externalId === target.author!.externalId,
        stored: stored.has(p.externalId),
      })),
    };
  }

  // A reply that ran out of attempts goes back to the outbox, with the same idempotency key.
  async retry(replyId: string, caller: Caller): Promise<Reply> {
    return this.db.transaction(async (m) => {
      const reply = await m.findOneBy(Reply, { id: replyId });
      if (!reply) throw new ReplyNotFoundError(replyId);
      const c = await this.cases.getFor(caller, reply.caseId, WORKERS, m);
      if (reply.status !== 'failed') throw new ReplyNotFailedError(reply.status);
      await m.update(Reply, replyId, { status: 'queued', attempts: 0, leaseUntil: null, notBefore: this.clock.now() });
      await this.cases.recordEvent(reply.caseId, 'reply_queued', caller.name, { replyId, kind: reply.kind, retry: true }, m);
      await this.audit.record(m, { actor: caller, action: 'reply.retried', brandId: c.brandId, caseId: c.id, replyId });
      return m.findOneByOrFail(Reply, { id: replyId });
    });
  }

  private async enqueue(c: Case, target: Post, kind: ReplyKind, text: string, notBefore: Date, agent: string, m: EntityManager): Promise<Reply> {
    const connector = this.connectors.get(c.sourceId);
    const author = target.author!;
    const sent = connector.replyRules.addressesAuthor ? addressedText(text, author.handle) : text;
    const length = connector.replyRules.length?.(sent) ?? [...sent].length;
    if (length > connector.replyRules.maxLength) throw new ReplyTooLongError(length, connector.replyRules.maxLength);
    const reply = m.create(Reply, {
      caseId: c.id,
      sourceId: c.sourceId,
      platform: c.platform,
      kind,
      text,
      language: c.language,
      visibility: target.visibility,
      inReplyToExternalId: target.externalId,
      inReplyToHandle: author.handle,
      idempotencyKey: randomUUID(),
      status: 'queued',
      manual: connector.replyRules.manual,
      notBefore,
      createdBy: agent,
    });
    await m.save(reply);
    await this.cases.recordEvent(c.id, 'reply_queued', agent, { replyId: reply.id, kind, text, notBefore, manual: reply.manual }, m);
    return reply;
  }

  private async latestCustomerPost(c: Case, m: EntityManager): Promise<Post> {
    const posts = (await this.cases.postsOf(c.id, m)).filter((p) => p.authorId === c.authorId);
    return posts.at(-1) ?? (await m.findOneOrFail(Post, { where: { id: c.firstPostId }, relations: { author: true } }));
  }

  private render(c: Case, target: Post, kind: ReplyKind): string {
    const brand = this.config.brand(c.brandId);
    const templates = templatesFor(this.config.templates, c.language, brand.defaultLanguage);
    const template = kind === 'acknowledgement' ? templates.acknowledgement : templates.followUp;
    return renderTemplate(template, { name: greetingName(target.author!.displayName, target.author!.handle), caseRef: caseReference(c.number), brand: brand.name });
  }
}

