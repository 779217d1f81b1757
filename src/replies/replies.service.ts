import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, type EntityManager, In } from 'typeorm';
import { AuditService, SYSTEM } from '../audit/audit.service.js';
import type { Caller } from '../auth/caller.js';
import { READERS, WORKERS } from '../auth/roles.decorator.js';
import { QUEUE_STATUSES, type Case, type CaseStatus } from '../cases/case.entity.js';
import { CaseStateError } from '../cases/case-errors.js';
import { caseReference } from '../cases/case-rules.js';
import { CasesService, SYSTEM_ACTOR } from '../cases/cases.service.js';
import { Clock } from '../common/clock.js';
import { AppConfig } from '../config/app-config.js';
import { ConnectorRegistry } from '../sources/connector-registry.js';
import { Post } from '../sources/post.entity.js';
import { type PublishedReply, addressedText } from '../sources/social-connector.js';
import { highestSeverity, needsApproval } from './approval-policy.js';
import {
  AlreadyAcknowledgedError,
  ReplyNotDueError,
  ReplyNotFailedError,
  ReplyNotFoundError,
  ReplyNotManualError,
  ReplyTooLongError,
  ScriptedApologyError,
} from './reply-errors.js';
import { REPEAT_FAILURE_INSTRUCTION, greetingName, isUnedited, renderTemplate } from './reply-templates.js';
import { ReplyTemplatesService } from './reply-templates.service.js';
import { replyView } from './reply-view.js';
import { Reply, type ReplyKind } from './reply.entity.js';

type Author = Pick<Caller, 'id' | 'name'>;

// The kinds whose template apologises: not offered as they are to a customer failed before.
const SCRIPTED_APOLOGIES: readonly ReplyKind[] = ['acknowledgement', 'apology'];

export interface Draft {
  kind: ReplyKind;
  language: string;
  // Null when no scripted text is offered: write the reply yourself, as the instruction says.
  text: string | null;
  repeatFailure: boolean;
  instruction: string | null;
}

@Injectable()
export class RepliesService {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly cases: CasesService,
    private readonly connectors: ConnectorRegistry,
    private readonly config: AppConfig,
    private readonly clock: Clock,
    private readonly audit: AuditService,
    private readonly templates: ReplyTemplatesService,
  ) {}

  // The text an agent starts from: the brand's template in the case's language, with the caller
  // as the agent. A customer failed before gets no scripted apology but an instruction instead.
  async draft(caller: Caller, caseId: string, kind: ReplyKind): Promise<Draft> {
    const c = await this.cases.getFor(caller, caseId, WORKERS);
    if (c.repeatFailure && SCRIPTED_APOLOGIES.includes(kind)) {
      return { kind, language: c.language, text: null, repeatFailure: true, instruction: REPEAT_FAILURE_INSTRUCTION };
    }
    const target = await this.latestCustomerPost(c, this.db.manager);
    return { kind, language: c.language, text: await this.render(c, target, kind, caller.name, this.db.manager), repeatFailure: c.repeatFailure, instruction: null };
  }

  // The public acknowledgement on the customer's thread: one per case.
  async acknowledge(caseId: string, caller: Caller, text?: string) {
    return this.write(caseId, caller, 'acknowledgement', text);
  }

  // A reply of any kind on the customer's thread, from the template when no text is given. It goes
  // to the outbox, or waits for an approver when the brand's policy says so.
  async write(caseId: string, caller: Caller, kind: ReplyKind, text?: string) {
    return this.db.transaction(async (m) => {
      const c = await this.holdForReply(caseId, caller, QUEUE_STATUSES, kind === 'acknowledgement' ? 'acknowledged' : 'replied to', m);
      if (kind === 'acknowledgement') {
        const pending = await m.countBy(Reply, { caseId, kind, status: In(['pending_approval', 'queued']) });
        if (c.acknowledgedAt || pending) throw new AlreadyAcknowledgedError();
      }
      const target = await this.latestCustomerPost(c, m);
      const template = await this.render(c, target, kind, caller.name, m);
      const body = text ?? template;
      await this.refuseScriptedApology(c, target, body, caller.name, m);
      const reply = await this.enqueue(c, target, kind, body, this.clock.now(), caller, m);
      await this.recordWritten(reply, caller, { edited: body !== template }, m);
      return replyView(await m.findOneByOrFail(Reply, { id: reply.id }));
    });
  }

  // The follow-up the resolving agent leaves behind, due after the brand's delay.
  async queueFollowUp(c: Case, by: Author, m: EntityManager): Promise<Reply> {
    const target = await this.latestCustomerPost(c, m);
    const text = await this.render(c, target, 'follow_up', by.name, m);
    const reply = await this.enqueue(c, target, 'follow_up', text, c.followUpDueAt ?? this.clock.now(), by, m);
    await this.cases.recordEvent(c.id, 'follow_up_scheduled', by.name, { replyId: reply.id, dueAt: reply.notBefore }, m);
    await this.recordWritten(reply, by, { dueAt: reply.notBefore }, m);
    return reply;
  }

  // An approver's new wording must still fit the channel, and may not turn into the scripted
  // apology either.
  async checkEdit(reply: Reply, c: Case, text: string, m: EntityManager): Promise<void> {
    this.checkLength(reply.sourceId, reply.inReplyToHandle, text);
    await this.refuseScriptedApology(c, await this.latestCustomerPost(c, m), text, reply.createdBy, m);
  }

  // The case's replies, with their publishing or approval state; a rejected one carries the
  // approver's comment for its author.
  async forCase(caller: Caller, caseId: string) {
    await this.cases.getFor(caller, caseId);
    const replies = await this.db.getRepository(Reply).find({ where: { caseId }, order: { createdAt: 'ASC' } });
    return replies.map(replyView);
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

  // Only the holder of the case or a manager of the brand replies; a free case is claimed by the
  // one replying. The case's row lock makes a second reply on it wait for the first.
  // Only the holder or a manager of the brand replies; a free case is claimed by the agent who
  // replies. The row lock makes a second reply on the case wait here, then see the first.
  private async holdForReply(caseId: string, caller: Caller, statuses: readonly CaseStatus[], action: string, m: EntityManager): Promise<Case> {
    await m.query('SELECT id FROM "case" WHERE id = $1 FOR UPDATE', [caseId]);
    const c = await this.cases.assertHolder(caseId, caller, m);
    if (!statuses.includes(c.status)) throw new CaseStateError(c.status, action);
    return c;
  }

  private async enqueue(c: Case, target: Post, kind: ReplyKind, text: string, notBefore: Date, by: Author, m: EntityManager): Promise<Reply> {
    const connector = this.connectors.get(c.sourceId);
    this.checkLength(c.sourceId, target.author!.handle, text);
    const approval = needsApproval(
      { text, visibility: target.visibility },
      { severity: await this.severityOf(c, m), repliesOut: await this.repliesOut(c, m) },
      this.config.brand(c.brandId).approval,
    );
    const reply = m.create(Reply, {
      caseId: c.id,
      sourceId: c.sourceId,
      platform: c.platform,
      kind,
      text,
      language: c.language,
      visibility: target.visibility,
      inReplyToExternalId: target.externalId,
      inReplyToHandle: target.author!.handle,
      idempotencyKey: randomUUID(),
      status: approval.required ? 'pending_approval' : 'queued',
      submittedAt: approval.required ? this.clock.now() : null,
      approvalReasons: approval.required ? approval.reasons : null,
      manual: connector.replyRules.manual,
      notBefore,
      createdBy: by.name,
    });
    await m.save(reply);
    if (approval.required) {
      await this.cases.recordEvent(c.id, 'reply_submitted', by.name, { replyId: reply.id, kind, text, reasons: approval.reasons }, m);
    } else {
      await this.cases.recordEvent(c.id, 'reply_queued', by.name, { replyId: reply.id, kind, text, notBefore, manual: reply.manual }, m);
    }
    return reply;
  }

  private async recordWritten(reply: Reply, by: Author, data: Record<string, unknown>, m: EntityManager): Promise<void> {
    const c = await this.cases.get(reply.caseId, m);
    const about = { brandId: c.brandId, caseId: c.id, replyId: reply.id };
    await this.audit.record(m, { actor: by, action: 'reply.written', ...about, data: { kind: reply.kind, text: reply.text, status: reply.status, ...data } });
    if (reply.status === 'pending_approval') {
      await this.audit.record(m, { actor: by, action: 'reply.submitted', ...about, data: { reasons: reply.approvalReasons } });
    }
  }

  private checkLength(sourceId: string, handle: string, text: string): void {
    const rules = this.connectors.get(sourceId).replyRules;
    const sent = rules.addressesAuthor ? addressedText(text, handle) : text;
    const length = rules.length?.(sent) ?? [...sent].length;
    if (length > rules.maxLength) throw new ReplyTooLongError(length, rules.maxLength);
  }

  // On a case of a customer failed before, the apology and acknowledgement templates as they
  // stand are refused: the paradox does not hold for a repeated failure.
  private async refuseScriptedApology(c: Case, target: Post, text: string, agentName: string, m: EntityManager): Promise<void> {
    if (!c.repeatFailure) return;
    const scripts = await Promise.all(SCRIPTED_APOLOGIES.map((kind) => this.render(c, target, kind, agentName, m)));
    if (isUnedited(text, scripts)) throw new ScriptedApologyError();
  }

  // The highest severity the analysis gave any of the case's posts.
  private async severityOf(c: Case, m: EntityManager) {
    const rows: { severity: string }[] = await m.query(
      `SELECT p.analysis_severity AS severity FROM thread_link l
       JOIN post p ON p.platform = l.platform AND p.external_id = l.external_id
       WHERE l.case_id = $1`,
      [c.id],
    );
    return highestSeverity(rows.map((r) => r.severity));
  }

  // The case's replies that have gone out or are on their way, public and direct.
  private async repliesOut(c: Case, m: EntityManager): Promise<{ public: number; private: number }> {
    const [row]: { public: number; private: number }[] = await m.query(
      `SELECT count(*) FILTER (WHERE visibility <> 'direct')::int AS public, count(*) FILTER (WHERE visibility = 'direct')::int AS private
       FROM reply WHERE case_id = $1 AND status IN ('queued', 'published', 'failed')`,
      [c.id],
    );
    return row;
  }

  private async latestCustomerPost(c: Case, m: EntityManager): Promise<Post> {
    const posts = (await this.cases.postsOf(c.id, m)).filter((p) => p.authorId === c.authorId);
    return posts.at(-1) ?? (await m.findOneOrFail(Post, { where: { id: c.firstPostId }, relations: { author: true } }));
  }

  private async render(c: Case, target: Post, kind: ReplyKind, agentName: string, m: EntityManager): Promise<string> {
    const brand = this.config.brand(c.brandId);
    const template = await this.templates.textFor(c.brandId, kind, c.language, m);
    return renderTemplate(template, {
      firstName: greetingName(target.author!.displayName, target.author!.handle),
      caseRef: caseReference(c.number),
      agentName,
      brand: brand.name,
    });
  }
}
