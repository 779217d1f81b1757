import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, type EntityManager } from 'typeorm';
import { AuditService } from '../audit/audit.service.js';
import { assertBrand, type Caller } from '../auth/caller.js';
import { READERS, WORKERS } from '../auth/roles.decorator.js';
import { CaseNotFoundError } from '../cases/case-errors.js';
import type { Case } from '../cases/case.entity.js';
import { caseReference } from '../common/case-reference.js';
import { Clock } from '../common/clock.js';
import { pgSafeJson } from '../common/pg-json.js';
import type { Role } from '../config/config.schema.js';
import { AppConfig } from '../config/app-config.js';
import { type HistoryRow, historyOf, historySql } from './customer-history.js';
import { AuthorAlreadyLinkedError, AuthorNotFoundError, AuthorNotLinkedError, CustomerNotFoundError, LastAuthorError } from './customer-errors.js';
import { Customer } from './customer.entity.js';
import { type FirstTimeFixMiss, firstTimeFixVerdict } from './first-time-fix.js';
import { GoodwillService } from './goodwill.service.js';
import { MIN_LOCAL_NAME, localName, suggestLinks } from './handle-matching.js';
import { NotesService } from './notes.service.js';
import { NotificationsService } from './notifications.service.js';
import { basePriority, reopenedPriority } from './priority.js';
import { NOT_FAILURES, earlierFailures } from './repeat-failure.js';

const POSTS_SHOWN = 200;
const SUGGESTIONS_SHOWN = 20;
const NOT_FAILURES_SQL = NOT_FAILURES.map((s) => `'${s}'`).join(', ');

export const MATCHING_RULE =
  `Authors who wrote to the brand whose handle has the same local name as one of the customer's: ` +
  `@anna@host on Mastodon, anna.bsky.social on Bluesky, @anna on X, u/anna on Reddit. Letters are folded and ` +
  `separators dropped (anna_b = anna-b), and names shorter than ${MIN_LOCAL_NAME} are left out. A handle is chosen ` +
  `freely: the same name may be someone else, an impersonator or a renamed account, so nothing is linked until an agent does it.`;

interface AuthorRow {
  id: string;
  platform: string;
  handle: string;
  display_name: string | null;
  followers: number | null;
  linked_at: Date;
  linked_by: string;
}

interface CaseRow {
  id: string;
  number: number;
  status: string;
  platform: string;
  handle: string;
  created_at: Date;
  resolved_at: Date | null;
  repeat_failure: boolean;
  first_time_fix: boolean | null;
  first_time_fix_why: FirstTimeFixMiss[];
  topic: string | null;
  severity: string | null;
}

interface RecomputeRow extends HistoryRow {
  id: string;
  customer_id: string;
  created_at: Date;
  reopen_count: number;
  repeat_failure: boolean;
  severity: string | null;
  complaint_probability: number | null;
  followers: number | null;
}

// Customers across channels: profiles, linking authors into them, and the suggestions.
@Injectable()
export class CustomersService {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly config: AppConfig,
    private readonly clock: Clock,
    private readonly audit: AuditService,
    private readonly notes: NotesService,
    private readonly goodwill: GoodwillService,
    private readonly notifications: NotificationsService,
  ) {}

  async getFor(caller: Caller, id: string, roles: Role[], m: EntityManager = this.db.manager): Promise<Customer> {
    const customer = await m.findOneBy(Customer, { id });
    if (!customer) throw new CustomerNotFoundError(id);
    assertBrand(caller, roles, customer.brandId);
    return customer;
  }

  // Everything the brand knows of the person: their authors per channel, posts, cases with the
  // failures before the current one, notes and the compensation given.
  async profile(caller: Caller, id: string, currentCaseId?: string) {
    const customer = await this.getFor(caller, id, READERS);
    const brand = this.config.brand(customer.brandId);
    const now = this.clock.now();
    const [authors, cases, posts, [{ total }], notes, compensation] = await Promise.all([
      this.authorsOf(id),
      this.db.query(
        `SELECT c.id, c.number, c.status, c.platform, a.handle, c.created_at, c.resolved_at, c.repeat_failure, c.first_time_fix, c.first_time_fix_why,
           fp.analysis_topic AS topic, fp.analysis_severity AS severity
         FROM "case" c JOIN author a ON a.id = c.author_id LEFT JOIN post fp ON fp.id = c.first_post_id
         WHERE c.customer_id = $1 ORDER BY c.created_at DESC, c.number DESC`,
        [id],
      ) as Promise<CaseRow[]>,
      this.db.query(
        `SELECT p.id, p.platform, p.url, p.text, p.posted_at, a.handle, t.case_id, p.analysis_is_complaint AS is_complaint, p.analysis_topic AS topic
         FROM customer_author l JOIN post p ON p.author_id = l.author_id AND p.brand_id = $2 JOIN author a ON a.id = p.author_id
         LEFT JOIN thread_link t ON t.platform = p.platform AND t.external_id = p.external_id
         WHERE l.customer_id = $1 ORDER BY p.posted_at DESC LIMIT ${POSTS_SHOWN}`,
        [id, customer.brandId],
      ),
      this.db.query(`SELECT count(*)::int AS total FROM customer_author l JOIN post p ON p.author_id = l.author_id AND p.brand_id = $2 WHERE l.customer_id = $1`, [id, customer.brandId]),
      this.notes.forCustomer(id),
      this.goodwill.forCustomer(id),
    ]);
    const current = currentCaseId ? cases.find((c) => c.id === currentCaseId) : cases[0];
    if (currentCaseId && !current) throw new CaseNotFoundError(currentCaseId);
    const earlier = current ? cases.filter((c) => c.created_at < current.created_at && !(NOT_FAILURES as readonly string[]).includes(c.status)) : [];
    const recent = new Set(
      current ? earlierFailures(earlier.map(earlierCase), current.created_at, brand.repeatFailure.windowDays).map((e) => e.caseId) : [],
    );
    const caseView = (c: CaseRow) => ({
      id: c.id,
      reference: caseReference(c.number),
      status: c.status,
      platform: c.platform,
      author: c.handle,
      topic: c.topic,
      severity: c.severity,
      openedAt: c.created_at,
      resolvedAt: c.resolved_at,
      repeatFailure: c.repeat_failure,
      firstTimeFix: { claimed: c.first_time_fix, ...firstTimeFixVerdict(c.resolved_at, c.first_time_fix_why, brand.firstTimeFix.windowDays, now) },
    });
    return {
      id: customer.id,
      brandId: customer.brandId,
      displayName: customer.displayName,
      createdAt: customer.createdAt,
      authors: authors.map(authorView),
      cases: cases.map(caseView),
      posts: {
        total,
        items: posts.map((p: Record<string, any>) => ({
          id: p.id,
          platform: p.platform,
          author: p.handle,
          url: p.url,
          text: p.text,
          postedAt: p.posted_at,
          complaint: p.is_complaint,
          topic: p.topic,
          caseId: p.case_id,
        })),
      },
      currentCaseId: current?.id ?? null,
      // Every failure before the current case; those within the repeat window made it a repeated failure.
      failuresBefore: earlier.map((c) => ({ ...caseView(c), withinRepeatWindow: recent.has(c.id) })),
      notes,
      compensation,
    };
  }

  // Authors whose handle has the same local name as one of the customer's, on any channel.
  async suggestions(caller: Caller, id: string) {
    const customer = await this.getFor(caller, id, READERS);
    const own = (await this.authorsOf(id)).map((a) => ({ id: a.id, platform: a.platform, handle: a.handle, displayName: a.display_name }));
    const names = [...new Set(own.map((a) => localName(a.platform, a.handle)).filter((n): n is string => n !== null))];
    if (!names.length) return { rule: MATCHING_RULE, items: [] };
    // A coarse filter in SQL (the folded handle contains the name), the exact rule in handle-matching.ts.
    const candidates: (AuthorRow & { customer_id: string | null })[] = await this.db.query(
      `SELECT a.id, a.platform, a.handle, a.display_name, a.followers, l.customer_id
       FROM author a LEFT JOIN customer_author l ON l.brand_id = $1 AND l.author_id = a.id
       WHERE regexp_replace(lower(normalize(a.handle, NFKD)), '[^a-z0-9]', '', 'g') LIKE ANY($2::text[])
         AND a.id <> ALL($3::uuid[])
         AND EXISTS (SELECT 1 FROM post p WHERE p.author_id = a.id AND p.brand_id = $1)
       LIMIT 1000`,
      [customer.brandId, names.map((n) => `%${n}%`), own.map((a) => a.id)],
    );
    const suggested = suggestLinks(
      own,
      candidates.map((c) => ({ id: c.id, platform: c.platform, handle: c.handle, displayName: c.display_name, followers: c.followers, customerId: c.customer_id })),
    );
    return {
      rule: MATCHING_RULE,
      items: suggested.slice(0, SUGGESTIONS_SHOWN).map((s) => ({
        author: { id: s.author.id, platform: s.author.platform, handle: s.author.handle, displayName: s.author.displayName, followers: s.author.followers },
        // The customer the author belongs to now: linking moves the author and its cases from there.
        currentCustomerId: s.author.customerId,
        localName: s.localName,
        sameDisplayName: s.sameDisplayName,
        matches: s.matches.map((a) => ({ id: a.id, platform: a.platform, handle: a.handle })),
      })),
    };
  }

  // Links the author to the customer, with its cases: its history joins the profile. An author
  // taken from another customer leaves it; a customer left without authors merges into this one.
  async link(caller: Caller, id: string, authorId: string) {
    await this.db.transaction(async (m) => {
      const customer = await this.getFor(caller, id, WORKERS, m);
      await this.lockBrand(customer.brandId, m);
      const author = await this.authorSeenBy(customer.brandId, authorId, m);
      const [current] = await m.query(`SELECT customer_id FROM customer_author WHERE brand_id = $1 AND author_id = $2`, [customer.brandId, authorId]);
      if (current?.customer_id === id) throw new AuthorAlreadyLinkedError();
      const now = this.clock.now();
      await m.query(
        `INSERT INTO customer_author (brand_id, author_id, customer_id, linked_at, linked_by) VALUES ($1, $2, $3, $4, $5)
         ON CONFLICT (brand_id, author_id) DO UPDATE SET customer_id = EXCLUDED.customer_id, linked_at = EXCLUDED.linked_at, linked_by = EXCLUDED.linked_by`,
        [customer.brandId, authorId, id, now, caller.name],
      );
      const [, casesMoved] = await m.query(`UPDATE "case" SET customer_id = $3, updated_at = $4 WHERE brand_id = $1 AND author_id = $2`, [customer.brandId, authorId, id, now]);
      const from: string | null = current?.customer_id ?? null;
      let merged = false;
      if (from) {
        const [{ left }] = await m.query(`SELECT count(*)::int AS left FROM customer_author WHERE customer_id = $1`, [from]);
        if (!left) {
          await m.query(`UPDATE note SET customer_id = $2 WHERE customer_id = $1`, [from, id]);
          await m.query(`UPDATE "case" SET customer_id = $2, updated_at = $3 WHERE customer_id = $1`, [from, id, now]);
          await m.query(`DELETE FROM customer WHERE id = $1`, [from]);
          merged = true;
        }
      }
      await this.recompute(customer.brandId, merged || !from ? [id] : [id, from], m);
      await this.audit.record(m, {
        actor: caller,
        action: 'customer.linked',
        brandId: customer.brandId,
        subject: `customer:${id}`,
        data: { customerId: id, authorId, platform: author.platform, handle: author.handle, from, merged, casesMoved },
      });
    });
    return this.profile(caller, id);
  }

  // Takes the author out of the customer, with its cases, into a customer of its own.
  async unlink(caller: Caller, id: string, authorId: string) {
    return this.db.transaction(async (m) => {
      const customer = await this.getFor(caller, id, WORKERS, m);
      await this.lockBrand(customer.brandId, m);
      const authors = await this.authorsOf(id, m);
      const author = authors.find((a) => a.id === authorId);
      if (!author) throw new AuthorNotLinkedError(authorId, id);
      if (authors.length === 1) throw new LastAuthorError();
      const now = this.clock.now();
      const [{ id: own }] = await m.query(`INSERT INTO customer (brand_id, display_name, created_at) VALUES ($1, $2, $3) RETURNING id`, [
        customer.brandId,
        author.display_name || author.handle,
        now,
      ]);
      await m.query(`UPDATE customer_author SET customer_id = $3, linked_at = $4, linked_by = $5 WHERE brand_id = $1 AND author_id = $2`, [customer.brandId, authorId, own, now, caller.name]);
      const [, casesMoved] = await m.query(`UPDATE "case" SET customer_id = $3, updated_at = $4 WHERE brand_id = $1 AND author_id = $2`, [customer.brandId, authorId, own, now]);
      await this.recompute(customer.brandId, [id, own], m);
      await this.audit.record(m, {
        actor: caller,
        action: 'customer.unlinked',
        brandId: customer.brandId,
        subject: `customer:${id}`,
        data: { customerId: id, authorId, platform: author.platform, handle: author.handle, to: own, casesMoved },
      });
      return { authorId, customerId: own, from: id };
    });
  }

  // The customer on a case view: how many failures came before it, and how many notes to read.
  async caseSummary(c: Pick<Case, 'id' | 'customerId' | 'createdAt'>) {
    if (!c.customerId) return { id: null, earlierFailures: 0, notesCount: (await this.notes.forCase(c)).length };
    const [row] = await this.db.query(
      `SELECT (SELECT count(*) FROM "case" e WHERE e.customer_id = $1 AND e.created_at < $2 AND e.status NOT IN (${NOT_FAILURES_SQL}))::int AS earlier,
              (SELECT count(*) FROM note n WHERE n.customer_id = $1 OR n.case_id IN (SELECT id FROM "case" WHERE customer_id = $1))::int AS notes`,
      [c.customerId, c.createdAt],
    );
    return { id: c.customerId, earlierFailures: row.earlier, notesCount: row.notes };
  }

  // After a link or unlink: the repeat flag and the priority of the customers' cases in the queue
  // read their history again; a case that becomes a repeated failure tells the managers.
  private async recompute(brandId: string, customerIds: string[], m: EntityManager): Promise<void> {
    const brand = this.config.brand(brandId);
    const rows: RecomputeRow[] = await m.query(
      `SELECT c.id, c.customer_id, c.created_at, c.reopen_count, c.repeat_failure, fp.analysis_severity AS severity, fp.analysis_complaint_probability AS complaint_probability,
         (SELECT max(a.followers) FROM customer_author l JOIN author a ON a.id = l.author_id WHERE l.customer_id = c.customer_id) AS followers,
         h.earlier, h.earlier_count, h.won_back, h.won_back_number
       FROM "case" c LEFT JOIN post fp ON fp.id = c.first_post_id
       CROSS JOIN LATERAL (${historySql('c.customer_id', 'c.created_at', '$2::int')}) h
       WHERE c.customer_id = ANY($1::uuid[]) AND c.status IN ('open', 'acknowledged')`,
      [customerIds, brand.repeatFailure.windowDays],
    );
    if (!rows.length) return;
    const updates = rows.map((row) => {
      const history = historyOf(row);
      const earlier = earlierFailures(history.earlier, row.created_at, brand.repeatFailure.windowDays);
      const priority = row.reopen_count
        ? reopenedPriority()
        : basePriority({
            severity: row.severity ?? 'low',
            complaintProbability: row.complaint_probability ?? 0,
            followers: row.followers,
            earlierFailures: earlier,
            earlierCount: history.earlierCount,
            repeatWindowDays: brand.repeatFailure.windowDays,
            wonBack: history.wonBack,
            reopened: false,
          });
      return { row, earlier, count: Math.max(history.earlierCount, earlier.length), priority };
    });
    await m.query(
      `UPDATE "case" c SET priority = u.priority, priority_why = u.priority_why, repeat_failure = u.repeat_failure, updated_at = $2
       FROM jsonb_to_recordset($1::jsonb) AS u(id uuid, priority int, priority_why jsonb, repeat_failure boolean) WHERE c.id = u.id`,
      [pgSafeJson(updates.map((u) => ({ id: u.row.id, priority: u.priority.priority, priority_why: u.priority.why, repeat_failure: u.earlier.length > 0 }))), this.clock.now()],
    );
    const flagged = updates.filter((u) => u.earlier.length && !u.row.repeat_failure);
    await this.notifications.notifyManagers(
      m,
      flagged.map((u) => ({
        brandId,
        kind: 'repeat_failure',
        caseId: u.row.id,
        data: { customerId: u.row.customer_id, earlier: u.earlier.map((e) => ({ caseId: e.caseId, reference: caseReference(e.number), openedAt: e.openedAt })), count: u.count, via: 'link' },
      })),
    );
  }

  // Links and unlinks of a brand one at a time: a move may empty and delete a customer another
  // move is about to fill.
  private async lockBrand(brandId: string, m: EntityManager): Promise<void> {
    await m.query(`SELECT pg_advisory_xact_lock(hashtext('customers:' || $1))`, [brandId]);
  }

  private async authorSeenBy(brandId: string, authorId: string, m: EntityManager): Promise<AuthorRow> {
    const [author] = await m.query(
      `SELECT a.id, a.platform, a.handle, a.display_name, a.followers FROM author a
       WHERE a.id = $1 AND EXISTS (SELECT 1 FROM post p WHERE p.author_id = a.id AND p.brand_id = $2)`,
      [authorId, brandId],
    );
    if (!author) throw new AuthorNotFoundError(authorId);
    return author;
  }

  private authorsOf(id: string, m: EntityManager = this.db.manager): Promise<AuthorRow[]> {
    return m.query(
      `SELECT a.id, a.platform, a.handle, a.display_name, a.followers, l.linked_at, l.linked_by
       FROM customer_author l JOIN author a ON a.id = l.author_id WHERE l.customer_id = $1 ORDER BY a.platform, a.handle`,
      [id],
    );
  }
}

function authorView(a: AuthorRow) {
  return { id: a.id, platform: a.platform, handle: a.handle, displayName: a.display_name, followers: a.followers, linkedAt: a.linked_at, linkedBy: a.linked_by };
}

function earlierCase(c: CaseRow) {
  return { caseId: c.id, number: c.number, openedAt: c.created_at, status: c.status };
}
