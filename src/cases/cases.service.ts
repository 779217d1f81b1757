import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, type EntityManager, In } from 'typeorm';
import type { PostAnalysisResult } from '../analysis/analysis.service.js';
import { Clock } from '../common/clock.js';
import { AppConfig } from '../config/app-config.js';
import type { Author } from '../sources/author.entity.js';
import type { Post } from '../sources/post.entity.js';
import { CaseEvent, type CaseEventType } from './case-event.entity.js';
import { ACTIVE_STATUSES, Case, type CaseStatus, QUEUE_STATUSES } from './case.entity.js';
import { CaseAlreadyClaimedError, CaseNotFoundError, CaseStateError, NotCaseHolderError } from './case-errors.js';
import { REOPEN_PRIORITY, ackDueAt, answerOutcome, claimExpiresAt, followUpDueAt, initialPriority } from './case-rules.js';

export interface IntakeItem {
  post: Post;
  author: Author;
  analysis: PostAnalysisResult;
}

export interface IntakeResult {
  opened: string[];
  joined: string[];
}

export const SYSTEM_ACTOR = 'paradox';

interface EventRow {
  caseId: string;
  at: Date;
  type: CaseEventType;
  actor: string;
  postId: string | null;
  data: Record<string, unknown>;
}

const threadKey = (authorId: string, root: string) => `${authorId}\u0000${root}`;

@Injectable()
export class CasesService {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly config: AppConfig,
    private readonly clock: Clock,
  ) {}

  // Newly stored posts of one brand and platform: complaints open cases, posts on a case's thread
  // join it, and an answer to a follow-up recovers or reopens the case. Set-based: a page of posts
  // costs the same handful of queries as one post.
  async takeIn(brandId: string, items: IntakeItem[], m: EntityManager): Promise<IntakeResult> {
    const result: IntakeResult = { opened: [], joined: [] };
    if (!items.length) return result;
    const brand = this.config.brand(brandId);
    const platform = items[0].post.platform;
    const now = this.clock.now();

    // One query finds both: the cases whose thread a post answers, and the open case of each author on each thread.
    const parentIds = [...new Set(items.map((i) => i.post.inReplyToExternalId).filter((id): id is string => !!id))];
    const rows: Record<string, unknown>[] = await m.query(
      `SELECT c.*, NULL::text AS via_parent FROM "case" c
       WHERE c.brand_id = $1 AND c.status = ANY($2)
         AND (c.author_id, c.thread_root_external_id) IN (SELECT * FROM unnest($3::uuid[], $4::text[]))
       UNION ALL
       SELECT c.*, l.external_id FROM thread_link l JOIN "case" c ON c.id = l.case_id
       WHERE l.platform = $5 AND l.external_id = ANY($6)`,
      [brandId, ACTIVE_STATUSES, items.map((i) => i.author.id), items.map((i) => i.post.rootExternalId), platform, parentIds],
    );
    const byId = new Map<string, Case>();
    const linked = new Map<string, Case>();
    const active = new Map<string, Case>();
    for (const row of rows) {
      const c = byId.get(row.id as string) ?? this.fromRow(row, m);
      byId.set(c.id, c);
      if (row.via_parent) linked.set(row.via_parent as string, c);
      if (ACTIVE_STATUSES.includes(c.status)) active.set(threadKey(c.authorId, c.threadRootExternalId), c);
    }

    const events: EventRow[] = [];
    const links: { caseId: string; externalId: string }[] = [];
    const drafts = new Map<string, IntakeItem[]>();
    const changed = new Set<Case>();
    for (const item of items) {
      const parent = item.post.inReplyToExternalId ? linked.get(item.post.inReplyToExternalId) : undefined;
      const target =
        parent && parent.authorId === item.author.id && ACTIVE_STATUSES.includes(parent.status)
          ? parent
          : active.get(threadKey(item.author.id, item.post.rootExternalId));
      if (target) {
        this.join(target, item, brand, now, events);
        links.push({ caseId: target.id, externalId: item.post.externalId });
        changed.add(target);
        result.joined.push(target.id);
        continue;
      }
      const key = threadKey(item.author.id, item.post.rootExternalId);
      if (drafts.has(key)) drafts.get(key)!.push(item);
      else if (item.analysis.complaint.label) drafts.set(key, [item]);
    }

    await this.saveJoined([...changed], m);
    const opened = await this.openMany(brandId, [...drafts.values()], m);
    for (const [c, group] of opened) {
      result.opened.push(c.id);
      for (const item of group) {
        events.push({ caseId: c.id, at: item.post.postedAt, type: 'post', actor: item.author.handle, postId: item.post.id, data: {} });
        links.push({ caseId: c.id, externalId: item.post.externalId });
      }
    }
    await this.insertEventsAndLinks(events, platform, links, m);
    return result;
  }

  // A raw row as the entity, by the column names the mapping gives.
  private fromRow(row: Record<string, unknown>, m: EntityManager): Case {
    const c = new Case();
    for (const column of m.connection.getMetadata(Case).columns) {
      (c as unknown as Record<string, unknown>)[column.propertyName] = row[column.databaseName];
    }
    return c;
  }

  // One INSERT for every case a page opens. A thread another poller opened a moment ago is
  // skipped here; the next poll joins its posts to that case.
  private async openMany(brandId: string, groups: IntakeItem[][], m: EntityManager): Promise<Map<Case, IntakeItem[]>> {
    const opened = new Map<Case, IntakeItem[]>();
    if (!groups.length) return opened;
    const brand = this.config.brand(brandId);
    const drafts = groups.map((group) => {
      const [first] = group;
      return m.create(Case, {
        brandId,
        sourceId: first.post.sourceId,
        platform: first.post.platform,
        authorId: first.author.id,
        threadRootExternalId: first.post.rootExternalId,
        firstPostId: first.post.id,
        language: first.analysis.language === 'other' ? brand.defaultLanguage : first.analysis.language,
        status: 'open',
        priority: initialPriority(first.analysis, first.author.followers),
        ackDueAt: ackDueAt(first.post.postedAt, brand),
        lastPostAt: group[group.length - 1].post.postedAt,
        reopenCount: 0,
      });
    });
    const rows: { id: string; number: number; author_id: string; thread_root_external_id: string; created_at: Date }[] = await m.query(
      `INSERT INTO "case" (brand_id, source_id, platform, author_id, thread_root_external_id, first_post_id, language,
         status, priority, ack_due_at, last_post_at)
       SELECT $1, * FROM unnest($2::text[], $3::text[], $4::uuid[], $5::text[], $6::uuid[], $7::text[], $8::text[], $9::int[],
         $10::timestamptz[], $11::timestamptz[])
       ON CONFLICT (brand_id, author_id, thread_root_external_id)
         WHERE status IN ('open', 'acknowledged', 'resolved', 'follow_up_sent') DO NOTHING
       RETURNING id, number, author_id, thread_root_external_id, created_at`,
      [
        brandId,
        drafts.map((d) => d.sourceId),
        drafts.map((d) => d.platform),
        drafts.map((d) => d.authorId),
        drafts.map((d) => d.threadRootExternalId),
        drafts.map((d) => d.firstPostId),
        drafts.map((d) => d.language),
        drafts.map((d) => d.status),
        drafts.map((d) => d.priority),
        drafts.map((d) => d.ackDueAt),
        drafts.map((d) => d.lastPostAt),
      ],
    );
    const byKey = new Map(drafts.map((d, i) => [threadKey(d.authorId, d.threadRootExternalId), i]));
    for (const row of rows) {
      const i = byKey.get(threadKey(row.author_id, row.thread_root_external_id))!;
      opened.set(Object.assign(drafts[i], { id: row.id, number: row.number, createdAt: row.created_at, updatedAt: row.created_at }), groups[i]);
    }
    return opened;
  }

  // The cases a page's posts joined, written back in one UPDATE.
  private async saveJoined(cases: Case[], m: EntityManager): Promise<void> {
    if (!cases.length) return;
    const column = <T>(pick: (c: Case) => T) => cases.map(pick);
    await m.query(
      `UPDATE "case" c SET status = u.status, priority = u.priority, last_post_at = u.last_post_at, recovered_at = u.recovered_at,
         reopened_at = u.reopened_at, reopen_count = u.reopen_count, first_time_fix = u.first_time_fix,
         acknowledged_at = u.acknowledged_at, ack_due_at = u.ack_due_at, follow_up_due_at = u.follow_up_due_at,
         claimed_by = u.claimed_by, claim_expires_at = u.claim_expires_at, updated_at = now()
       FROM unnest($1::uuid[], $2::text[], $3::int[], $4::timestamptz[], $5::timestamptz[], $6::timestamptz[], $7::int[], $8::boolean[],
         $9::timestamptz[], $10::timestamptz[], $11::timestamptz[], $12::text[], $13::timestamptz[])
         AS u(id, status, priority, last_post_at, recovered_at, reopened_at, reopen_count, first_time_fix, acknowledged_at, ack_due_at,
           follow_up_due_at, claimed_by, claim_expires_at)
       WHERE c.id = u.id`,
      [
        column((c) => c.id),
        column((c) => c.status),
        column((c) => c.priority),
        column((c) => c.lastPostAt),
        column((c) => c.recoveredAt),
        column((c) => c.reopenedAt),
        column((c) => c.reopenCount),
        column((c) => c.firstTimeFix),
        column((c) => c.acknowledgedAt),
        column((c) => c.ackDueAt),
        column((c) => c.followUpDueAt),
        column((c) => c.claimedBy),
        column((c) => c.claimExpiresAt),
      ],
    );
  }

  // A post on an existing case's thread; an answer after the follow-up decides the recovery.
  private join(c: Case, item: IntakeItem, brand: AppConfig['brands'][number], now: Date, events: EventRow[]): void {
    const at = item.post.postedAt;
    events.push({ caseId: c.id, at, type: 'post', actor: item.author.handle, postId: item.post.id, data: {} });
    if (c.lastPostAt < at) c.lastPostAt = at;
    if (c.status === 'follow_up_sent') {
      const outcome = answerOutcome(item.analysis);
      events.push({ caseId: c.id, at, type: 'answer_received', actor: item.author.handle, postId: item.post.id, data: { outcome } });
      if (outcome === 'recovered') {
        c.status = 'recovered';
        c.recoveredAt = at;
        events.push({ caseId: c.id, at: now, type: 'recovered', actor: SYSTEM_ACTOR, postId: item.post.id, data: {} });
      } else if (outcome === 'reopen') {
        this.reopen(c, item, brand, now, events);
      }
    } else if (c.status === 'resolved' && item.analysis.complaint.label) {
      this.reopen(c, item, brand, now, events);
    }
  }

  private reopen(c: Case, item: IntakeItem, brand: AppConfig['brands'][number], now: Date, events: EventRow[]): void {
    c.status = 'open';
    c.priority = REOPEN_PRIORITY;
    c.reopenedAt = now;
    c.reopenCount += 1;
    c.firstTimeFix = false;
    c.acknowledgedAt = null;
    c.ackDueAt = ackDueAt(item.post.postedAt, brand);
    c.followUpDueAt = null;
    c.claimedBy = null;
    c.claimExpiresAt = null;
    events.push({ caseId: c.id, at: now, type: 'reopened', actor: SYSTEM_ACTOR, postId: item.post.id, data: { reason: 'customer answer' } });
  }

  async queue(filter: { brandId?: string; limit: number; offset: number }): Promise<Case[]> {
    const q = this.db
      .getRepository(Case)
      .createQueryBuilder('c')
      .where('c.status IN (:...statuses)', { statuses: QUEUE_STATUSES })
      // Within a priority, what is due first comes first; acknowledged cases wait behind the unanswered.
      .orderBy('c.priority', 'DESC')
      .addOrderBy('c.acknowledgedAt IS NULL', 'DESC')
      .addOrderBy('c.ackDueAt', 'ASC')
      .take(filter.limit)
      .skip(filter.offset);
    if (filter.brandId) q.andWhere('c.brandId = :brandId', { brandId: filter.brandId });
    return q.getMany();
  }

  async get(id: string, m: EntityManager = this.db.manager): Promise<Case> {
    const c = await m.findOneBy(Case, { id });
    if (!c) throw new CaseNotFoundError(id);
    return c;
  }

  async timeline(id: string): Promise<CaseEvent[]> {
    await this.get(id);
    return this.db.getRepository(CaseEvent).find({
      where: { caseId: id },
      relations: { post: { author: true } },
      order: { at: 'ASC', seq: 'ASC' },
    });
  }

  async claim(id: string, agent: string, m: EntityManager = this.db.manager): Promise<Case> {
    const c = await this.holdOrClaim(id, agent, QUEUE_STATUSES, 'claimed', m);
    await this.recordEvent(c.id, 'claimed', agent, { until: c.claimExpiresAt }, m);
    return c;
  }

  async release(id: string, agent: string): Promise<Case> {
    return this.db.transaction(async (m) => {
      const c = await this.get(id, m);
      if (c.claimedBy !== agent) throw new NotCaseHolderError();
      await m.update(Case, id, { claimedBy: null, claimExpiresAt: null });
      await this.recordEvent(id, 'released', agent, {}, m);
      return this.get(id, m);
    });
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

  async markAcknowledged(id: string, at: Date, m: EntityManager): Promise<void> {
    const [, affected] = await m.query(
      `UPDATE "case" SET acknowledged_at = $2, status = CASE WHEN status = 'open' THEN 'acknowledged' ELSE status END, updated_at = $3
       WHERE id = $1 AND acknowledged_at IS NULL`,
      [id, at, this.clock.now()],
    );
    if (affected) await this.recordEvent(id, 'acknowledged', SYSTEM_ACTOR, {}, m, at);
  }

  async resolve(id: string, agent: string, input: { note: string; firstTimeFix: boolean }, m: EntityManager): Promise<Case> {
    const c = await this.holdOrClaim(id, agent, QUEUE_STATUSES, 'resolved', m);
    const now = this.clock.now();
    const brand = this.config.brand(c.brandId);
    await m.update(Case, id, {
      status: 'resolved',
      resolvedAt: now,
      resolvedBy: agent,
      resolutionNote: input.note,
      // A reopened case was not fixed the first time, whatever the agent says.
      firstTimeFix: input.firstTimeFix && c.reopenCount === 0,
      followUpDueAt: followUpDueAt(now, brand),
      claimedBy: null,
      claimExpiresAt: null,
    });
    await this.recordEvent(id, 'resolved', agent, { note: input.note, firstTimeFix: input.firstTimeFix }, m);
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
    await this.insertEvents([{ caseId, at, type, actor, postId: null, data }], m);
  }

  async link(caseId: string, platform: string, externalId: string, m: EntityManager): Promise<void> {
    await this.insertLinks(platform, [{ caseId, externalId }], m);
  }

  private async insertEvents(events: EventRow[], m: EntityManager): Promise<void> {
    await this.insertEventsAndLinks(events, '', [], m);
  }

  private async insertLinks(platform: string, links: { caseId: string; externalId: string }[], m: EntityManager): Promise<void> {
    await this.insertEventsAndLinks([], platform, links, m);
  }

  // Timeline events and thread links in one round trip.
  private async insertEventsAndLinks(events: EventRow[], platform: string, links: { caseId: string; externalId: string }[], m: EntityManager): Promise<void> {
    if (!events.length && !links.length) return;
    await m.query(
      `WITH events AS (
         INSERT INTO case_event (case_id, at, type, actor, post_id, data)
         SELECT * FROM unnest($1::uuid[], $2::timestamptz[], $3::text[], $4::text[], $5::uuid[], $6::jsonb[]))
       INSERT INTO thread_link (platform, external_id, case_id)
       SELECT $7, * FROM unnest($8::text[], $9::uuid[]) ON CONFLICT DO NOTHING`,
      [
        events.map((e) => e.caseId),
        events.map((e) => e.at),
        events.map((e) => e.type),
        events.map((e) => e.actor),
        events.map((e) => e.postId),
        events.map((e) => JSON.stringify(e.data)),
        platform,
        links.map((l) => l.externalId),
        links.map((l) => l.caseId),
      ],
    );
  }
}
