import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, type EntityManager } from 'typeorm';
import { AuditService } from '../audit/audit.service.js';
import { assertBrand, type Caller, whereCallerBrands } from '../auth/caller.js';
import { APPROVERS } from '../auth/roles.decorator.js';
import { Case } from '../cases/case.entity.js';
import { caseReference } from '../cases/case-rules.js';
import { CasesService } from '../cases/cases.service.js';
import { Clock } from '../common/clock.js';
import { Post } from '../sources/post.entity.js';
import { RepliesService } from './replies.service.js';
import { OwnReplyError, ReplyAlreadyApprovedError, ReplyAlreadyRejectedError, ReplyNotFoundError, ReplyNotPendingError } from './reply-errors.js';
import { replyView } from './reply-view.js';
import { Reply } from './reply.entity.js';

// The approver's side of a reply: the queue of replies waiting, and one decision on each.
@Injectable()
export class ApprovalsService {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly cases: CasesService,
    private readonly replies: RepliesService,
    private readonly clock: Clock,
    private readonly audit: AuditService,
  ) {}

  // Replies waiting for approval in the caller's brands, longest waiting first, each with its
  // case, the customer and the post it answers.
  async pending(caller: Caller, filter: { brand?: string; limit: number; offset: number }) {
    if (filter.brand) assertBrand(caller, APPROVERS, filter.brand);
    const q = this.db
      .getRepository(Reply)
      .createQueryBuilder('r')
      .innerJoinAndMapOne('r.case', Case, 'c', 'c.id = r.caseId')
      .where(`r.status = 'pending_approval'`)
      .orderBy('r.submittedAt', 'ASC')
      .addOrderBy('r.id', 'ASC')
      .take(filter.limit)
      .skip(filter.offset);
    if (filter.brand) q.andWhere('c.brandId = :brand', { brand: filter.brand });
    whereCallerBrands(q, caller, APPROVERS, 'c.brandId');
    const [rows, total] = await q.getManyAndCount();
    const posts = rows.length
      ? await this.db.getRepository(Post).find({ where: rows.map((r) => ({ platform: r.platform, externalId: r.inReplyToExternalId })), relations: { author: true } })
      : [];
    const postOf = (r: Reply) => posts.find((p) => p.platform === r.platform && p.externalId === r.inReplyToExternalId);
    return {
      items: rows.map((r) => {
        const c = r.case!;
        const post = postOf(r);
        return {
          reply: replyView(r),
          case: { id: c.id, reference: caseReference(c.number), brandId: c.brandId, status: c.status, priority: c.priority, language: c.language, claimedBy: c.claimedBy, repeatFailure: c.repeatFailure },
          customer: post?.author ? { handle: post.author.handle, displayName: post.author.displayName, followers: post.author.followers, customerId: c.customerId } : null,
          post: post
            ? { id: post.id, text: post.text, url: post.url, postedAt: post.postedAt, externalId: post.externalId, severity: post.analysis.severity, topic: post.analysis.topic }
            : null,
        };
      }),
      total,
      limit: filter.limit,
      offset: filter.offset,
    };
  }

  // Lets the reply out to the outbox, as written or with the approver's wording (the author's
  // text is kept beside it). One conditional UPDATE: of two approvers at once, one decides.
  async approve(replyId: string, caller: Caller, input: { text?: string; comment?: string }) {
    return this.db.transaction(async (m) => {
      const { reply, c } = await this.waiting(replyId, caller, m);
      const edited = input.text !== undefined && input.text !== reply.text;
      if (edited) await this.replies.checkEdit(reply, c, input.text!, m);
      const now = this.clock.now();
      const [, affected] = await m.query(
        `UPDATE reply SET status = 'queued', approved_at = $2, approved_by = $3, approver_comment = $4,
           original_text = CASE WHEN $5::text IS NULL THEN original_text ELSE text END, text = coalesce($5::text, text)
         WHERE id = $1 AND status = 'pending_approval'`,
        [replyId, now, caller.name, input.comment ?? null, edited ? input.text : null],
      );
      if (!affected) throw await this.decided(replyId, m);
      const about = { brandId: c.brandId, caseId: c.id, replyId };
      await this.cases.recordEvent(c.id, 'reply_approved', caller.name, { replyId, kind: reply.kind, edited, comment: input.comment ?? null }, m);
      if (edited) await this.audit.record(m, { actor: caller, action: 'reply.edited', ...about, data: { before: reply.text, after: input.text } });
      const approved = await m.findOneByOrFail(Reply, { id: replyId });
      await this.audit.record(m, { actor: caller, action: 'reply.approved', ...about, data: { kind: approved.kind, text: approved.text, edited, comment: input.comment ?? null } });
      return replyView(approved);
    });
  }

  // Sends the reply back to its author with the approver's reason; the author writes a new one.
  async reject(replyId: string, caller: Caller, comment: string) {
    return this.db.transaction(async (m) => {
      const { reply, c } = await this.waiting(replyId, caller, m);
      const [, affected] = await m.query(
        `UPDATE reply SET status = 'rejected', rejected_at = $2, rejected_by = $3, approver_comment = $4 WHERE id = $1 AND status = 'pending_approval'`,
        [replyId, this.clock.now(), caller.name, comment],
      );
      if (!affected) throw await this.decided(replyId, m);
      await this.cases.recordEvent(c.id, 'reply_rejected', caller.name, { replyId, kind: reply.kind, author: reply.createdBy, comment }, m);
      await this.audit.record(m, { actor: caller, action: 'reply.rejected', brandId: c.brandId, caseId: c.id, replyId, data: { kind: reply.kind, text: reply.text, author: reply.createdBy, comment } });
      return replyView(await m.findOneByOrFail(Reply, { id: replyId }));
    });
  }

  // A reply the caller may decide on: in a brand they approve for, written by someone else,
  // and still waiting.
  private async waiting(replyId: string, caller: Caller, m: EntityManager) {
    const reply = await m.findOneBy(Reply, { id: replyId });
    if (!reply) throw new ReplyNotFoundError(replyId);
    const c = await this.cases.getFor(caller, reply.caseId, APPROVERS, m);
    if (reply.createdBy === caller.name) throw new OwnReplyError();
    if (reply.status !== 'pending_approval') throw await this.decided(replyId, m);
    return { reply, c };
  }

  private async decided(replyId: string, m: EntityManager): Promise<Error> {
    const reply = await m.findOneByOrFail(Reply, { id: replyId });
    if (reply.status === 'rejected') return new ReplyAlreadyRejectedError(reply.rejectedBy);
    if (reply.approvedAt) return new ReplyAlreadyApprovedError(reply.approvedBy);
    return new ReplyNotPendingError(reply.status);
  }
}
