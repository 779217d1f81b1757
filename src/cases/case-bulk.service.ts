import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, type EntityManager, In } from 'typeorm';
import { PostLabelsService } from '../analysis/post-labels.service.js';
import { AuditService } from '../audit/audit.service.js';
import { assertBrand, type Caller, hasRole } from '../auth/caller.js';
import { MANAGERS, WORKERS } from '../auth/roles.decorator.js';
import { Clock } from '../common/clock.js';
import { pgSafeJson } from '../common/pg-json.js';
import type { CaseEventType } from './case-event.entity.js';
import { Case, QUEUE_STATUSES } from './case.entity.js';
import { CaseAlreadyClaimedError, CaseNotFoundError, CaseStateError, MergeIntoItselfError, NotSameCustomerError } from './case-errors.js';
import { caseReference } from './case-rules.js';
import { CasesService } from './cases.service.js';
import { SlaBreachesService } from './sla-breaches.service.js';

// Actions on many cases at once, for the noise in the queue. Each is all-or-nothing: one unknown,
// foreign or unsuitable case refuses the whole request and nothing changes.
@Injectable()
export class CaseBulkService {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly cases: CasesService,
    private readonly labels: PostLabelsService,
    private readonly breaches: SlaBreachesService,
    private readonly clock: Clock,
    private readonly audit: AuditService,
  ) {}

  // Not complaints: the cases leave the queue as dismissed, and their posts are labelled so the
  // brand's model learns from it. A later post on the thread is taken as any new post: it opens a
  // new case only if it is a complaint itself.
  async dismiss(caller: Caller, input: { caseIds: string[]; reason?: string }): Promise<Case[]> {
    return this.db.transaction(async (m) => {
      const cases = await this.lockAll(caller, input.caseIds, m);
      for (const c of cases) this.assertMayClose(c, caller, 'dismissed');
      const now = this.clock.now();
      const ids = cases.map((c) => c.id);
      await m.query(
        `UPDATE "case" SET status = 'dismissed', dismissed_at = $2, sla_stopped_at = $2, claimed_by = NULL, claim_expires_at = NULL, updated_at = $2
         WHERE id = ANY($1::uuid[])`,
        [ids, now],
      );
      const posts = await this.customerPosts(ids, m);
      const labelled = new Set(await this.labels.markNotComplaints(m, posts.map((p) => p.postId), caller));
      const reason = input.reason ?? null;
      await this.events(m, cases.map((c) => ({ caseId: c.id, type: 'dismissed' as const, actor: caller.name, at: now, data: { reason } })));
      for (const c of cases) {
        const postIds = posts.filter((p) => p.caseId === c.id && labelled.has(p.postId)).map((p) => p.postId);
        await this.audit.record(m, { actor: caller, action: 'case.dismissed', brandId: c.brandId, caseId: c.id, data: { reason, labelledNotComplaint: postIds } });
      }
      await this.breaches.record(m, now, ids);
      return m.find(Case, { where: { id: In(ids) }, order: { number: 'ASC' } });
    });
  }

  // Cases of one customer become one: their posts and events move to the case that stays, which
  // keeps its own SLA clocks and takes the highest priority of them all.
  async merge(caller: Caller, input: { intoCaseId: string; caseIds: string[] }): Promise<Case> {
    if (input.caseIds.includes(input.intoCaseId)) throw new MergeIntoItselfError(input.intoCaseId);
    return this.db.transaction(async (m) => {
      const all = await this.lockAll(caller, [input.intoCaseId, ...input.caseIds], m);
      const into = all.find((c) => c.id === input.intoCaseId)!;
      const merged = all.filter((c) => c !== into);
      for (const c of all) this.assertMayClose(c, caller, 'merged');
      for (const c of merged) if (!sameCustomer(c, into)) throw new NotSameCustomerError(c.id, into.id);
      const now = this.clock.now();
      const ids = merged.map((c) => c.id);
      await m.query(`UPDATE thread_link SET case_id = $1 WHERE case_id = ANY($2::uuid[])`, [into.id, ids]);
      await m.query(`UPDATE case_event SET case_id = $1 WHERE case_id = ANY($2::uuid[])`, [into.id, ids]);
      // Cases merged into these before follow them.
      await m.query(`UPDATE "case" SET merged_into_id = $1 WHERE merged_into_id = ANY($2::uuid[])`, [into.id, ids]);
      await m.query(
        `UPDATE "case" SET status = 'merged', merged_into_id = $1, merged_at = $3, sla_stopped_at = $3, claimed_by = NULL, claim_expires_at = NULL, updated_at = $3
         WHERE id = ANY($2::uuid[])`,
        [into.id, ids, now],
      );
      await m.update(Case, into.id, {
        priority: Math.max(...all.map((c) => c.priority)),
        lastPostAt: new Date(Math.max(...all.map((c) => c.lastPostAt.getTime()))),
        updatedAt: now,
      });
      const intoRef = { id: into.id, reference: caseReference(into.number) };
      await this.events(m, [
        { caseId: into.id, type: 'merged', actor: caller.name, at: now, data: { cases: merged.map((c) => ({ id: c.id, reference: caseReference(c.number) })) } },
        ...merged.map((c) => ({ caseId: c.id, type: 'merged' as const, actor: caller.name, at: now, data: { into: intoRef } })),
      ]);
      for (const c of merged) {
        await this.audit.record(m, { actor: caller, action: 'case.merged', brandId: c.brandId, caseId: c.id, subject: into.id, data: { into: intoRef } });
      }
      await this.breaches.record(m, now, ids);
      return this.cases.get(into.id, m);
    });
  }

  // The cases, locked in one order (two bulk requests never wait on each other in a circle),
  // each one known and of a brand the caller works for.
  private async lockAll(caller: Caller, ids: string[], m: EntityManager): Promise<Case[]> {
    const found = await m.find(Case, { where: { id: In(ids) }, order: { id: 'ASC' }, lock: { mode: 'pessimistic_write' } });
    const byId = new Map(found.map((c) => [c.id, c]));
    const missing = ids.find((id) => !byId.has(id));
    if (missing) throw new CaseNotFoundError(missing);
    for (const c of found) assertBrand(caller, WORKERS, c.brandId);
    return ids.map((id) => byId.get(id)!);
  }

  // Only a case in the queue, and not one a colleague holds (a manager may).
  private assertMayClose(c: Case, caller: Caller, action: string): void {
    if (!QUEUE_STATUSES.includes(c.status)) throw new CaseStateError(c.status, action);
    const holder = this.cases.holderOf(c);
    if (holder && holder !== caller.name && !hasRole(caller, MANAGERS, c.brandId)) throw new CaseAlreadyClaimedError(holder, c.claimExpiresAt);
  }

  // The customer's own posts on the cases' threads.
  private async customerPosts(caseIds: string[], m: EntityManager): Promise<{ caseId: string; postId: string }[]> {
    const rows = (await m.query(
      `SELECT l.case_id, p.id FROM thread_link l
       JOIN post p ON p.platform = l.platform AND p.external_id = l.external_id
       JOIN "case" c ON c.id = l.case_id AND c.author_id = p.author_id
       WHERE l.case_id = ANY($1::uuid[])`,
      [caseIds],
    )) as { case_id: string; id: string }[];
    return rows.map((r) => ({ caseId: r.case_id, postId: r.id }));
  }

  private async events(m: EntityManager, events: { caseId: string; type: CaseEventType; actor: string; at: Date; data: Record<string, unknown> }[]): Promise<void> {
    await m.query(
      `INSERT INTO case_event (case_id, at, type, actor, data)
       SELECT e.case_id, e.at, e.type, e.actor, e.data FROM jsonb_to_recordset($1::jsonb) AS e(n int, case_id uuid, at timestamptz, type text, actor text, data jsonb)
       -- seq follows the order the events are listed in.
       ORDER BY e.n`,
      [pgSafeJson(events.map((e, n) => ({ n, case_id: e.caseId, at: e.at, type: e.type, actor: e.actor, data: e.data })))],
    );
  }
}

// The same person: the same author, or authors the customers part joined into one customer.
function sameCustomer(c: Case, into: Case): boolean {
  return c.brandId === into.brandId && (c.authorId === into.authorId || (c.customerId !== null && c.customerId === into.customerId));
}
