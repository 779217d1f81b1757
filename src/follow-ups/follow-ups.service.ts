import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { type Caller, whereCallerBrands } from '../auth/caller.js';
import { READERS } from '../auth/roles.decorator.js';
import { Case } from '../cases/case.entity.js';
import { caseReference } from '../cases/case-rules.js';
import { CasesService } from '../cases/cases.service.js';
import { RepliesService } from '../replies/replies.service.js';
import { Reply } from '../replies/reply.entity.js';

@Injectable()
export class FollowUpsService {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly cases: CasesService,
    private readonly replies: RepliesService,
  ) {}

  // Resolving records what was done and schedules the public "is everything resolved?" on the thread.
  async resolve(caseId: string, caller: Caller, input: { note: string; firstTimeFix: boolean }) {
    return this.db.transaction(async (m) => {
      const c = await this.cases.resolve(caseId, caller, input, m);
      // The follow-up is written (and audited) by the resolving agent; it may wait for an approver.
      const followUp = await this.replies.queueFollowUp(c, caller, m);
      return { case: c, followUp };
    });
  }

  // Follow-ups with their case: scheduled, sent and waiting for an answer, or answered.
  async list(caller: Caller, filter: { brand?: string; limit: number; offset: number }) {
    const q = this.db
      .getRepository(Reply)
      .createQueryBuilder('r')
      .innerJoinAndMapOne('r.case', Case, 'c', 'c.id = r.caseId')
      .where(`r.kind = 'follow_up'`)
      .orderBy('r.notBefore', 'DESC')
      .take(filter.limit)
      .skip(filter.offset);
    if (filter.brand) q.andWhere('c.brandId = :brand', { brand: filter.brand });
    whereCallerBrands(q, caller, READERS, 'c.brandId');
    const rows = await q.getMany();
    return {
      items: rows.map((r) => ({
        replyId: r.id,
        caseId: r.caseId,
        caseReference: caseReference(r.case!.number),
        caseStatus: r.case!.status,
        dueAt: r.notBefore,
        status: r.status,
        publishedAt: r.publishedAt,
        url: r.externalUrl,
        text: r.text,
        lastError: r.lastError,
      })),
      limit: filter.limit,
      offset: filter.offset,
    };
  }
}
