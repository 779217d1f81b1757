import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, type EntityManager, In } from 'typeorm';
import type { ColumnMetadata } from 'typeorm/metadata/ColumnMetadata.js';
import { AuditService } from '../audit/audit.service.js';
import { assertBrand, type Caller, hasRole, whereCallerBrands } from '../auth/caller.js';
import { MANAGERS, READERS, WORKERS } from '../auth/roles.decorator.js';
import type { PostAnalysisResult } from '../analysis/analysis.service.js';
import { Clock } from '../common/clock.js';
import { pgSafeJson } from '../common/pg-json.js';
import { AppConfig } from '../config/app-config.js';
import { type CustomerFacts, type FactsRow, customerFacts, customerIntakeCtes } from '../customers/customer-intake.js';
import { missesAtResolve } from '../customers/first-time-fix.js';
import { basePriority, priorityAtSql, reopenedPriority } from '../customers/priority.js';
import { earlierFailures } from '../customers/repeat-failure.js';
import { queryPrepared } from '../database/prepared.js';
import type { Author } from '../sources/author.entity.js';
import { Post } from '../sources/post.entity.js';
import { CaseEvent, type CaseEventType } from './case-event.entity.js';
import { ACTIVE_CASE, ACTIVE_STATUSES, Case, type CaseStatus, QUEUE_STATUSES } from './case.entity.js';
import { ThreadLink } from './thread-link.entity.js';
import { AlreadyHolderError, CaseAlreadyClaimedError, CaseNotFoundError, CaseStateError, NotCaseHolderError, NotTeamMemberError } from './case-errors.js';
import { NEXT_DUE_SQL, answerOutcome, caseReference, claimExpiresAt, followUpDueAt } from './case-rules.js';
import { SlaBreachesService } from './sla-breaches.service.js';
import { type RepliedFacts, afterReply, slaDueTimes } from './sla-policy.js';
import { TeamsService } from './teams.service.js';

export interface IntakeItem {
  post: Post;
  author: Author;
  analysis: PostAnalysisResult;
}

export interface IntakeResult {
  opened: string[];
  joined: string[];
}

// What the intake reads for a page (intakeReadSql): a case the page may join, or a customer.
export interface IntakeReadRow {
  kind: 'case' | 'customer';
  row: Record<string, unknown>;
  // For a case found through thread_link: the post a reply of the page answers.
  via_parent: string | null;
}

// Placeholders of the statement that stores the page (ingest.service.ts) and reads with it.
export interface IntakeReadParams {
  brand: string;
  platform: string;
  now: string;
  // intakeReadValues: the repeat-failure and first-time-fix windows in days.
  repeatDays: string;
  ftfDays: string;
}

// What the intake needs to know of a page, read in the statement that stores it, so the page
// costs no round trip for it: the cases whose thread a reply answers, the open case of each author
// on each thread, and the customer behind each complaint (made if new, with the history the
// priority reads); it also takes the first-time fix from earlier cases on a complaint's topic.
// `intake_posts` is the page's new posts: (post_id uuid, author_id uuid, root text, in_reply_to
// text, is_complaint boolean, topic text, posted_at timestamptz, display_name text). A post that
// starts its own thread cannot belong to a case yet: only replies look for one. Each case is found
// through its key, one lookup per post (OFFSET 0 keeps the planner from scanning the brand's cases),
// with the statuses written out so that the prepared statement's generic plan can use
// uq_case_active_thread.
export const intakeReadSql = (p: IntakeReadParams) => ({
  ctes: customerIntakeCtes({
    brand: p.brand,
    complaints: 'SELECT author_id, display_name, post_id, root, topic, posted_at FROM intake_posts WHERE is_complaint',
    now: p.now,
    repeatDays: p.repeatDays,
    ftfDays: p.ftfDays,
  }),
  select: `SELECT 'case' AS kind, to_jsonb(c) AS row, NULL::text AS via_parent
     FROM (SELECT DISTINCT author_id, root FROM intake_posts WHERE in_reply_to IS NOT NULL) t
     CROSS JOIN LATERAL (SELECT * FROM "case" c WHERE c.brand_id = ${p.brand} AND c.author_id = t.author_id
       AND c.thread_root_external_id = t.root AND c.${ACTIVE_CASE} OFFSET 0) c
     UNION ALL
     SELECT 'case', to_jsonb(c), r.in_reply_to FROM (SELECT DISTINCT in_reply_to FROM intake_posts WHERE in_reply_to IS NOT NULL) r
     CROSS JOIN LATERAL (SELECT c.* FROM thread_link l JOIN "case" c ON c.id = l.case_id
       WHERE l.platform = ${p.platform} AND l.external_id = r.in_reply_to OFFSET 0) c
     UNION ALL
     SELECT 'customer', to_jsonb(f), NULL FROM customer_facts f`,
});

export const SYSTEM_ACTOR = 'paradox';
export type { RepliedFacts } from './sla-policy.js';

export interface TransferInput {
  toUser?: string;
  toTeam?: string;
  note?: string;
}

export interface TimelineEntry {
  at: Date;
  type: CaseEventType | 'post';
  actor: string;
  data: Record<string, unknown>;
  post: Post | null;
}

interface EventRow {
  caseId: string;
  at: Date;
  type: CaseEventType;
  actor: string;
  postId: string | null;
  data: Record<string, unknown>;
}

interface OpenedRow {
  id: string;
  author_id: string;
  thread_root_external_id: string;
}

interface LinkRow {
  caseId: string | null;
  externalId: string;
  thread?: IntakeItem;
}

const threadKey = (authorId: string, root: string) => `${authorId}\u0000${root}`;

@Injectable()
export class CasesService {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly config: AppConfig,
    private readonly clock: Clock,
    private readonly audit: AuditService,
    private readonly breaches: SlaBreachesService,
    private readonly teams: TeamsService,
  ) {}

  // The values intakeReadSql's placeholders take for a brand, in their order.
  intakeReadValues(brandId: string): [repeatDays: number, ftfDays: number] {
    const brand = this.config.brand(brandId);
    return [brand.repeatFailure.windowDays, brand.firstTimeFix.windowDays];
  }

  // Newly stored posts of one brand and platform: complaints open cases, posts on a case's thread
  // join it, and an answer to a follow-up recovers or reopens the case. `read` is what
  // intakeReadSql read of them in the statement that stored them. Set-based: a page of posts costs
  // the same one write as one post.
  async takeIn(brandId: string, items: IntakeItem[], read: IntakeReadRow[], m: EntityManager): Promise<IntakeResult> {
    const result: IntakeResult = { opened: [], joined: [] };
    if (!items.length) return result;
    const brand = this.config.brand(brandId);
    const platform = items[0].post.platform;
    const now = this.clock.now();

    const byId = new Map<string, Case>();
    const linked = new Map<string, Case>();
    const active = new Map<string, Case>();
    const customers = new Map<string, CustomerFacts>();
    const columns = m.connection.getMetadata(Case).columns;
    for (const { kind, row, via_parent } of read) {
      if (kind === 'customer') {
        customers.set(row.author_id as string, customerFacts(row as unknown as FactsRow));
        continue;
      }
      const c = byId.get(row.id as string) ?? fromJson(row, columns);
      byId.set(c.id, c);
      if (via_parent) linked.set(via_parent, c);
      if (ACTIVE_STATUSES.includes(c.status)) active.set(threadKey(c.authorId, c.threadRootExternalId), c);
    }

    const events: EventRow[] = [];
    const links: LinkRow[] = [];
    const drafts = new Map<string, IntakeItem[]>();
    const changed = new Set<Case>();
    const reopened = new Set<Case>();
    for (const item of items) {
      const parent = item.post.inReplyToExternalId ? linked.get(item.post.inReplyToExternalId) : undefined;
      const target =
        parent && parent.authorId === item.author.id && ACTIVE_STATUSES.includes(parent.status)
          ? parent
          : active.get(threadKey(item.author.id, item.post.rootExternalId));
      if (target) {
        this.join(target, item, brand, now, events, reopened);
        links.push({ caseId: target.id, externalId: item.post.externalId });
        changed.add(target);
        result.joined.push(target.id);
        continue;
      }
      const key = threadKey(item.author.id, item.post.rootExternalId);
      if (drafts.has(key)) drafts.get(key)!.push(item);
      else if (item.analysis.complaint.label) drafts.set(key, [item]);
    }

    const groups = [...drafts.values()];
    for (const group of groups) {
      for (const item of group) links.push({ caseId: null, externalId: item.post.externalId, thread: item });
    }
    const opened = await this.write(brandId, platform, [...changed], reopened, groups, customers, now, events, links, m);
    result.opened.push(...opened.map((o) => o.id));
    if (opened.length < groups.length) result.joined.push(...(await this.joinRaced(brandId, groups, opened, m)));
    return result;
  }

  // Another poller (a second source of the brand) opened a case for the same thread between our
  // lookup and our insert: the unique index kept one case, and the posts join it here.
  private async joinRaced(brandId: string, groups: IntakeItem[][], opened: OpenedRow[], m: EntityManager): Promise<string[]> {
    const won = new Set(opened.map((o) => threadKey(o.author_id, o.thread_root_external_id)));
    const joined: string[] = [];
    for (const group of groups) {
      const [first] = group;
      if (won.has(threadKey(first.author.id, first.post.rootExternalId))) continue;
      const c = await m.findOneByOrFail(Case, {
        brandId,
        authorId: first.author.id,
        threadRootExternalId: first.post.rootExternalId,
        status: In([...ACTIVE_STATUSES]),
      });
      for (const item of group) await this.link(c.id, item.post.platform, item.post.externalId, m);
      joined.push(c.id);
    }
    return joined;
  }

  // Everything a page changes in the queue, in one statement: the cases it opens, the cases it
  // joined or reopened with their events, and the thread links of both, new cases found by author
  // and thread. A thread another poller opened a moment ago is skipped here and handled by joinRaced.
  private async write(
    brandId: string,
    platform: string,
    touched: Case[],
    reopened: ReadonlySet<Case>,
    groups: IntakeItem[][],
    customers: Map<string, CustomerFacts>,
    now: Date,
    events: EventRow[],
    links: LinkRow[],
    m: EntityManager,
  ): Promise<OpenedRow[]> {
    const brand = this.config.brand(brandId);
    const drafts = groups.map((group) => {
      const [first] = group;
      // The SLA clocks start at the customer's post; the due times are worked out here, not in SQL.
      const due = slaDueTimes(first.post.postedAt, brand.sla);
      const customer = customers.get(first.author.id);
      // A failure before this one within the window: the case escalates and the managers hear of it.
      const earlier = earlierFailures(customer?.earlier ?? [], now, brand.repeatFailure.windowDays);
      const followers = Math.max(first.author.followers ?? 0, customer?.followers ?? 0);
      const priority = basePriority({
        severity: first.analysis.severity,
        complaintProbability: first.analysis.complaint.probability,
        followers,
        earlierFailures: earlier,
        earlierCount: customer?.earlierCount,
        repeatWindowDays: brand.repeatFailure.windowDays,
        wonBack: customer?.wonBack ?? { count: 0, lastNumber: null },
        reopened: false,
      });
      return {
        source_id: first.post.sourceId,
        author_id: first.author.id,
        root: first.post.rootExternalId,
        first_post_id: first.post.id,
        language: first.analysis.language === 'other' ? brand.defaultLanguage : first.analysis.language,
        priority: priority.priority,
        priority_why: priority.why,
        customer_id: customer?.customerId ?? null,
        repeat_failure: earlier.length > 0,
        last_post_at: group[group.length - 1].post.postedAt,
        sla_started_at: first.post.postedAt,
        ack_due_at: due.ackDueAt,
        first_response_due_at: due.firstResponseDueAt,
        resolution_due_at: due.resolutionDueAt,
        notice: earlier.length
          ? {
              customerId: customer!.customerId,
              // The latest failures, and how many there were in all.
              earlier: earlier.map((e) => ({ caseId: e.caseId, reference: caseReference(e.number), openedAt: e.openedAt })),
              count: Math.max(customer!.earlierCount, earlier.length),
            }
          : null,
      };
    });
    const joined = touched.filter((c) => !reopened.has(c));
    // Each set travels as one JSON document, cheaper to send and parse than an array per column.
    const doc = <T>(items: T[], row: (item: T, n: number) => Record<string, unknown>) => pgSafeJson(items.map(row));
    const rows = await queryPrepared<OpenedRow>(
      m,
      'cases-write-page',
      `WITH drafts AS (
         SELECT * FROM jsonb_to_recordset($3::jsonb) AS d(source_id text, author_id uuid, root text, first_post_id uuid, language text,
           priority int, priority_why jsonb, customer_id uuid, repeat_failure boolean, last_post_at timestamptz, sla_started_at timestamptz,
           ack_due_at timestamptz, first_response_due_at timestamptz, resolution_due_at timestamptz, notice jsonb)),
       opened AS (
         INSERT INTO "case" (brand_id, platform, status, source_id, author_id, thread_root_external_id, first_post_id, language,
           priority, priority_why, customer_id, repeat_failure, last_post_at, sla_started_at, ack_due_at, first_response_due_at,
           resolution_due_at, created_at)
         SELECT $1, $2, 'open', d.source_id, d.author_id, d.root, d.first_post_id, d.language, d.priority, d.priority_why, d.customer_id,
           d.repeat_failure, d.last_post_at, d.sla_started_at, d.ack_due_at, d.first_response_due_at, d.resolution_due_at, $8
         FROM drafts d
         ON CONFLICT (brand_id, author_id, thread_root_external_id)
           WHERE ${ACTIVE_CASE} DO NOTHING
         RETURNING id, author_id, thread_root_external_id),
       -- A repeated failure tells the brand's managers, in the transaction that opens the case.
       notified AS (
         INSERT INTO notification (brand_id, recipient_role, kind, case_id, data, created_at)
         SELECT $1, 'manager', 'repeat_failure', o.id, d.notice, $8
         FROM opened o JOIN drafts d ON d.author_id = o.author_id AND d.root = o.thread_root_external_id
         WHERE d.notice IS NOT NULL),
       -- A post that joins changes only what it decides; the rest stays as the row holds it now
       -- (a claim, an acknowledgement or a breach written since this page read the case).
       joined AS (
         UPDATE "case" c SET status = coalesce(u.status, c.status), recovered_at = coalesce(u.recovered_at, c.recovered_at),
           last_post_at = greatest(c.last_post_at, u.last_post_at), updated_at = now()
         FROM jsonb_to_recordset($4::jsonb) AS u(id uuid, status text, recovered_at timestamptz, last_post_at timestamptz)
         -- The ids again as an array: the planner then finds the few cases by key instead of
         -- hashing the document against every case.
         WHERE c.id = ANY($9::uuid[]) AND c.id = u.id),
       -- A reopened case starts again: a new claim, a new acknowledgement and fresh SLA clocks; the
       -- fix did not hold, whatever the agent said (added to what the customers statement found).
       reopened AS (
         UPDATE "case" c SET status = 'open', priority = u.priority, priority_why = u.priority_why,
           last_post_at = greatest(c.last_post_at, u.last_post_at), reopened_at = u.reopened_at, reopen_count = c.reopen_count + 1,
           first_time_fix_verdict = 'no', first_time_fix_why = c.first_time_fix_why || jsonb_build_array(u.first_time_fix_miss),
           acknowledged_at = NULL, follow_up_due_at = NULL, claimed_by = NULL, claim_expires_at = NULL,
           sla_started_at = u.sla_started_at, sla_stopped_at = NULL, sla_approval_waits = '[]',
           ack_due_at = u.ack_due_at, ack_breached_at = NULL, first_response_due_at = u.first_response_due_at, first_responded_at = NULL,
           first_response_breached_at = NULL, resolution_due_at = u.resolution_due_at, resolution_breached_at = NULL, updated_at = now()
         FROM jsonb_to_recordset($7::jsonb) AS u(id uuid, priority int, priority_why jsonb, last_post_at timestamptz, reopened_at timestamptz,
           first_time_fix_miss jsonb, sla_started_at timestamptz, ack_due_at timestamptz, first_response_due_at timestamptz,
           resolution_due_at timestamptz)
         WHERE c.id = ANY($10::uuid[]) AND c.id = u.id),
       events AS (
         INSERT INTO case_event (case_id, at, type, actor, post_id, data)
         SELECT e.case_id, e.at, e.type, e.actor, e.post_id, e.data
         FROM jsonb_to_recordset($5::jsonb) AS e(n int, case_id uuid, at timestamptz, type text, actor text, post_id uuid, data jsonb)
         -- seq follows the order the events were written in.
         ORDER BY e.n),
       links AS (
         INSERT INTO thread_link (platform, external_id, case_id)
         SELECT $2, l.external_id, coalesce(l.case_id, o.id)
         FROM jsonb_to_recordset($6::jsonb) AS l(case_id uuid, author_id uuid, root text, external_id text)
         LEFT JOIN opened o ON l.case_id IS NULL AND o.author_id = l.author_id AND o.thread_root_external_id = l.root
         WHERE coalesce(l.case_id, o.id) IS NOT NULL
         ON CONFLICT DO NOTHING)
       SELECT id, author_id, thread_root_external_id FROM opened`,
      [
        brandId,
        platform,
        pgSafeJson(drafts),
        doc(joined, (c) => ({
          id: c.id,
          status: c.status === 'recovered' ? c.status : null,
          recovered_at: c.status === 'recovered' ? c.recoveredAt : null,
          last_post_at: c.lastPostAt,
        })),
        doc(events, (e, n) => ({ n, case_id: e.caseId, at: e.at, type: e.type, actor: e.actor, post_id: e.postId, data: e.data })),
        doc(links, (l) => ({ case_id: l.caseId, author_id: l.thread?.author.id ?? null, root: l.thread?.post.rootExternalId ?? null, external_id: l.externalId })),
        doc([...reopened], (c) => ({
          id: c.id,
          priority: c.priority,
          priority_why: c.priorityWhy,
          last_post_at: c.lastPostAt,
          reopened_at: c.reopenedAt,
          first_time_fix_miss: { rule: 'reopened', at: now.toISOString() },
          sla_started_at: c.slaStartedAt,
          ack_due_at: c.ackDueAt,
          first_response_due_at: c.firstResponseDueAt,
          resolution_due_at: c.resolutionDueAt,
        })),
        now,
        joined.map((c) => c.id),
        [...reopened].map((c) => c.id),
      ],
    );
    return rows;
  }

  // A post on an existing case's thread; an answer after the follow-up decides the recovery.
  private join(c: Case, item: IntakeItem, brand: AppConfig['brands'][number], now: Date, events: EventRow[], reopened: Set<Case>): void {
    const at = item.post.postedAt;
    if (c.lastPostAt < at) c.lastPostAt = at;
    if (c.status === 'follow_up_sent') {
      const outcome = answerOutcome(item.analysis);
      events.push({ caseId: c.id, at, type: 'answer_received', actor: item.author.handle, postId: item.post.id, data: { outcome } });
      if (outcome === 'recovered') {
        c.status = 'recovered';
        c.recoveredAt = at;
        events.push({ caseId: c.id, at: now, type: 'recovered', actor: SYSTEM_ACTOR, postId: item.post.id, data: {} });
      } else if (outcome === 'reopen') {
        this.reopen(c, item, brand, now, events, reopened);
      }
    } else if (c.status === 'resolved' && item.analysis.complaint.label) {
      this.reopen(c, item, brand, now, events, reopened);
    }
  }

  // The customer is unhappy again: every SLA clock starts over from the post that says so. The
  // earlier round's breaches stay on the timeline and in the audit log.
  private reopen(c: Case, item: IntakeItem, brand: AppConfig['brands'][number], now: Date, events: EventRow[], reopened: Set<Case>): void {
    const due = slaDueTimes(item.post.postedAt, brand.sla);
    const priority = reopenedPriority();
    c.status = 'open';
    c.priority = priority.priority;
    c.priorityWhy = priority.why;
    c.reopenedAt = now;
    c.reopenCount += 1;
    c.acknowledgedAt = null;
    c.followUpDueAt = null;
    c.claimedBy = null;
    c.claimExpiresAt = null;
    c.slaStartedAt = item.post.postedAt;
    c.slaStoppedAt = null;
    c.slaApprovalWaits = [];
    c.ackDueAt = due.ackDueAt;
    c.ackBreachedAt = null;
    c.firstResponseDueAt = due.firstResponseDueAt;
    c.firstRespondedAt = null;
    c.firstResponseBreachedAt = null;
    c.resolutionDueAt = due.resolutionDueAt;
    c.resolutionBreachedAt = null;
    reopened.add(c);
    events.push({ caseId: c.id, at: now, type: 'reopened', actor: SYSTEM_ACTOR, postId: item.post.id, data: { reason: 'customer answer' } });
  }

  async queue(caller: Caller, filter: { brandId?: string; teamId?: string; limit: number; offset: number }): Promise<Case[]> {
    const q = this.db
      .getRepository(Case)
      .createQueryBuilder('c')
      .where('c.status IN (:...statuses)', { statuses: QUEUE_STATUSES })
      // The stored priority plus the time left now, as the case view shows it (customers/priority.ts);
      // within a priority, the nearest due time of a milestone not met yet comes first.
      .orderBy(priorityAtSql('c.priority', NEXT_DUE_SQL('c'), ':now'), 'DESC')
      .setParameter('now', this.clock.now())
      .addOrderBy(NEXT_DUE_SQL('c'), 'ASC', 'NULLS LAST')
      .addOrderBy('c.number', 'ASC')
      .take(filter.limit)
      .skip(filter.offset);
    if (filter.brandId) q.andWhere('c.brandId = :brandId', { brandId: filter.brandId });
    if (filter.teamId) q.andWhere('c.teamId = :teamId', { teamId: filter.teamId });
    whereCallerBrands(q, caller, READERS, 'c.brandId');
    return q.getMany();
  }

  async get(id: string, m: EntityManager = this.db.manager): Promise<Case> {
    const c = await m.findOneBy(Case, { id });
    if (!c) throw new CaseNotFoundError(id);
    return c;
  }

  // The case, for a caller who may read or (roles) work the brand's cases.
  async getFor(caller: Caller, id: string, roles = READERS, m: EntityManager = this.db.manager): Promise<Case> {
    const c = await this.get(id, m);
    assertBrand(caller, roles, c.brandId);
    return c;
  }

  // The same, with the row locked until the transaction ends: what is checked stays true.
  async lockFor(caller: Caller, id: string, roles: typeof READERS, m: EntityManager): Promise<Case> {
    const c = await m.findOne(Case, { where: { id }, lock: { mode: 'pessimistic_write' } });
    if (!c) throw new CaseNotFoundError(id);
    assertBrand(caller, roles, c.brandId);
    return c;
  }

  // The case's events and its posts, by time; a post comes before what it caused at the same instant.
  async timeline(id: string): Promise<TimelineEntry[]> {
    await this.get(id);
    const [events, posts] = await Promise.all([
      this.db.getRepository(CaseEvent).find({ where: { caseId: id }, relations: { post: { author: true } }, order: { at: 'ASC', seq: 'ASC' } }),
      this.postsOf(id),
    ]);
    const entries: TimelineEntry[] = [
      ...posts.map((post) => ({ at: post.postedAt, type: 'post' as const, actor: post.author?.handle ?? '', data: {}, post })),
      ...events.map((e) => ({ at: e.at, type: e.type, actor: e.actor, data: e.data, post: e.post ?? null })),
    ];
    // A stable sort: posts were put first, and events keep their written order.
    return entries.sort((a, b) => a.at.getTime() - b.at.getTime());
  }

  // The customer's posts a case holds, oldest first: the ones linked to its thread.
  async postsOf(id: string, m: EntityManager = this.db.manager): Promise<Post[]> {
    return m
      .createQueryBuilder(Post, 'p')
      .innerJoinAndSelect('p.author', 'a')
      .innerJoin(ThreadLink, 'l', 'l.platform = p.platform AND l.externalId = p.externalId')
      .where('l.caseId = :id', { id })
      .orderBy('p.postedAt', 'ASC')
      .getMany();
  }

  async claim(id: string, caller: Caller): Promise<Case> {
    return this.db.transaction(async (m) => {
      await this.getFor(caller, id, WORKERS, m);
      return this.claimIn(id, caller, m);
    });
  }

  private async claimIn(id: string, caller: Caller, m: EntityManager): Promise<Case> {
    const c = await this.holdOrClaim(id, caller.name, QUEUE_STATUSES, 'claimed', m);
    await this.recordEvent(c.id, 'claimed', caller.name, { until: c.claimExpiresAt }, m);
    await this.audit.record(m, { actor: caller, action: 'case.claimed', brandId: c.brandId, caseId: c.id, data: { until: c.claimExpiresAt } });
    return c;
  }

  async release(id: string, caller: Caller): Promise<Case> {
    return this.db.transaction(async (m) => {
      const c = await this.getFor(caller, id, WORKERS, m);
      if (c.claimedBy !== caller.name) throw new NotCaseHolderError(c.claimedBy);
      await m.update(Case, id, { claimedBy: null, claimExpiresAt: null });
      await this.recordEvent(id, 'released', caller.name, {}, m);
      await this.audit.record(m, { actor: caller, action: 'case.released', brandId: c.brandId, caseId: id });
      return this.get(id, m);
    });
  }

  // Whether the caller may act on the case as its holder: the holder, or a manager of the brand.
  // A free case (or one whose claim ran out) is claimed by the caller here, as acknowledging does.
  async assertHolder(caseId: string, caller: Caller, m: EntityManager): Promise<Case> {
    const c = await this.getFor(caller, caseId, WORKERS, m);
    if (hasRole(caller, MANAGERS, c.brandId)) return c;
    const holder = this.holderOf(c);
    if (holder === caller.name) return c;
    if (holder) throw new NotCaseHolderError(holder);
    try {
      return await this.claimIn(caseId, caller, m);
    } catch (error) {
      // Another agent claimed it a moment ago.
      if (error instanceof CaseAlreadyClaimedError) throw new NotCaseHolderError(error.details.claimedBy as string);
      throw error;
    }
  }

  // Hands the case to a colleague (who then holds it) or to a team (where it waits, unclaimed):
  // by its holder or a manager of the brand. Counted on the case for the first-time-fix rule.
  async transfer(id: string, caller: Caller, input: TransferInput): Promise<Case> {
    return this.db.transaction(async (m) => {
      const c = await this.lockFor(caller, id, WORKERS, m);
      const now = this.clock.now();
      if (!QUEUE_STATUSES.includes(c.status)) throw new CaseStateError(c.status, 'transferred');
      const holder = this.holderOf(c);
      if (holder !== caller.name && !hasRole(caller, MANAGERS, c.brandId)) throw new NotCaseHolderError(holder);
      if (input.toUser && input.toUser === holder) throw new AlreadyHolderError(holder);
      const team = input.toTeam ? await this.teams.ofBrand(input.toTeam, c.brandId, m) : null;
      if (team && input.toUser && !team.members.includes(input.toUser)) throw new NotTeamMemberError(team.id, input.toUser);
      const to = input.toUser ?? null;
      await m.update(Case, id, {
        claimedBy: to,
        claimExpiresAt: to ? claimExpiresAt(now, this.config.brand(c.brandId)) : null,
        teamId: team?.id ?? c.teamId,
        transferCount: () => 'transfer_count + 1',
        updatedAt: now,
      });
      const data = { from: holder, toUser: to, toTeam: team ? { id: team.id, name: team.name } : null, note: input.note ?? null };
      await this.recordEvent(id, 'transferred', caller.name, data, m);
      await this.audit.record(m, { actor: caller, action: 'case.transferred', brandId: c.brandId, caseId: id, data });
      return this.get(id, m);
    });
  }

  // Who holds the case now: a claim that ran out holds nothing.
  holderOf(c: Case): string | null {
    return c.claimedBy && c.claimExpiresAt && c.claimExpiresAt > this.clock.now() ? c.claimedBy : null;
  }

  // The one conditional update that makes a claim: free, expired or already ours. No two agents hold a case.
  async holdOrClaim(id: string, agent: string, statuses: readonly CaseStatus[], action: string, m: EntityManager): Promise<Case> {
    const now = this.clock.now();
    const c = await this.get(id, m);
    if (!statuses.includes(c.status)) throw new CaseStateError(c.status, action);
    const expires = claimExpiresAt(now, this.config.brand(c.brandId));
    const [, affected] = await m.query(
      `UPDATE "case" SET claimed_by = $2, claim_expires_at = $3, updated_at = $4
       WHERE id = $1 AND status = ANY($5) AND (claimed_by IS NULL OR claimed_by = $2 OR claim_expires_at <= $4)`,
      [id, agent, expires, now, statuses],
    );
    if (!affected) {
      const current = await this.get(id, m);
      if (!statuses.includes(current.status)) throw new CaseStateError(current.status, action);
      throw new CaseAlreadyClaimedError(current.claimedBy!, current.claimExpiresAt);
    }
    return this.get(id, m);
  }

  // The platform took a reply: it may meet the acknowledgement or the first response (afterReply).
  async markReplied(id: string, reply: RepliedFacts, at: Date, m: EntityManager): Promise<void> {
    // Locked, so two replies published at once are both counted against what the other wrote.
    const c = await m.findOne(Case, { where: { id }, lock: { mode: 'pessimistic_write' } });
    if (!c) throw new CaseNotFoundError(id);
    const change = afterReply(c, reply, at);
    if (!Object.keys(change).length) return;
    await m.update(Case, id, { ...change, updatedAt: this.clock.now() });
    if (change.acknowledgedAt) await this.recordEvent(id, 'acknowledged', SYSTEM_ACTOR, {}, m, at);
  }

  async resolve(id: string, caller: Caller, input: { note: string; firstTimeFix: boolean }, m: EntityManager): Promise<Case> {
    await this.getFor(caller, id, WORKERS, m);
    const agent = caller.name;
    const c = await this.holdOrClaim(id, agent, QUEUE_STATUSES, 'resolved', m);
    const now = this.clock.now();
    const brand = this.config.brand(c.brandId);
    // The agent's word is kept as said; the rule's verdict counts transfers and reopenings now and
    // waits out the window for a new complaint.
    const transfers = await m.countBy(CaseEvent, { caseId: id, type: 'transferred' });
    const misses = missesAtResolve(transfers, c.reopenCount, c.firstTimeFixWhy ?? [], now);
    await m.update(Case, id, {
      status: 'resolved',
      resolvedAt: now,
      resolvedBy: agent,
      resolutionNote: input.note,
      firstTimeFix: input.firstTimeFix,
      firstTimeFixVerdict: misses.length ? 'no' : 'pending',
      firstTimeFixWhy: misses,
      followUpDueAt: followUpDueAt(now, brand),
      claimedBy: null,
      claimExpiresAt: null,
      // The resolution stops every clock, and counts as the first response if none came before.
      slaStoppedAt: now,
      firstRespondedAt: c.firstRespondedAt ?? now,
    });
    await this.recordEvent(id, 'resolved', agent, { note: input.note, firstTimeFix: input.firstTimeFix }, m);
    await this.breaches.record(m, now, [id]);
    await this.audit.record(m, { actor: caller, action: 'case.resolved', brandId: c.brandId, caseId: id, data: { note: input.note, firstTimeFix: input.firstTimeFix } });
    return this.get(id, m);
  }

  async markFollowUpSent(id: string, at: Date, m: EntityManager): Promise<void> {
    const [, affected] = await m.query(
      `UPDATE "case" SET status = 'follow_up_sent', follow_up_sent_at = $2, updated_at = $3 WHERE id = $1 AND status = 'resolved'`,
      [id, at, this.clock.now()],
    );
    if (affected) await this.recordEvent(id, 'follow_up_sent', SYSTEM_ACTOR, {}, m, at);
  }

  async recordEvent(
    caseId: string,
    type: CaseEventType,
    actor: string,
    data: Record<string, unknown>,
    m: EntityManager,
    at: Date = this.clock.now(),
  ): Promise<void> {
    await m.query('INSERT INTO case_event (case_id, at, type, actor, data) VALUES ($1, $2, $3, $4, $5::jsonb)', [caseId, at, type, actor, pgSafeJson(data)]);
  }

  // A reply of a case merged meanwhile is linked to the case it went into, so an answer finds that one.
  async link(caseId: string, platform: string, externalId: string, m: EntityManager): Promise<void> {
    await m.query(
      `INSERT INTO thread_link (platform, external_id, case_id) SELECT $1, $2, coalesce(merged_into_id, id) FROM "case" WHERE id = $3 ON CONFLICT DO NOTHING`,
      [platform, externalId, caseId],
    );
  }
}

// A case row read as JSON (to_jsonb), as the entity: its times come back as text.
function fromJson(row: Record<string, unknown>, columns: readonly ColumnMetadata[]): Case {
  const c = new Case();
  for (const column of columns) {
    const value = row[column.databaseName];
    (c as unknown as Record<string, unknown>)[column.propertyName] = column.type === 'timestamptz' && typeof value === 'string' ? new Date(value) : value;
  }
  return c;
}
