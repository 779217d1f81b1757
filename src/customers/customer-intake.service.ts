import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { pgSafeJson } from '../common/pg-json.js';
import { AppConfig } from '../config/app-config.js';
import { queryPrepared } from '../database/prepared.js';
import { type HistoryRow, customerIdSql, historyOf, historySql } from './customer-history.js';
import type { EarlierCase } from './repeat-failure.js';

// A post of the page the customers room needs to see: one that opens a case, or a complaint.
export interface CustomerIntakePost {
  authorId: string;
  // The name a customer made for this author starts with.
  displayName: string;
  opens: boolean;
  complaint: boolean;
  // The case the post joins, if any.
  caseId: string | null;
  postId: string;
  topic: string;
  postedAt: Date;
}

// What the queue needs to know of the customer behind a case it opens.
export interface CustomerFacts {
  customerId: string;
  // Cases opened before now within the brand's repeat window.
  earlier: EarlierCase[];
  wonBack: { count: number; lastNumber: number | null };
  // The largest audience among the customer's authors known before this page.
  followers: number | null;
}

interface FactsRow extends HistoryRow {
  author_id: string;
  customer_id: string;
  followers: number | null;
}

// One statement per page, whatever its size: the authors who open a case get a customer if they
// had none, complaints take the first-time fix from the customer's resolved cases on the same
// topic within the window, and the history of each customer comes back for the priority.
const takeInSql = `WITH page AS (
    SELECT * FROM jsonb_to_recordset($2::jsonb) AS p(author_id uuid, display_name text, opens boolean, complaint boolean, case_id uuid,
      post_id uuid, topic text, posted_at timestamptz)),
  openers AS (
    SELECT author_id, min(display_name) AS display_name FROM page WHERE opens GROUP BY author_id),
  -- Looked up author by author (the key), never by reading the brand's every link.
  known AS (
    SELECT p.author_id, l.customer_id FROM (SELECT DISTINCT author_id FROM page) p
    CROSS JOIN LATERAL (SELECT customer_id FROM customer_author l WHERE l.brand_id = $1 AND l.author_id = p.author_id LIMIT 1) l),
  fresh AS (
    SELECT o.author_id, ${customerIdSql('$1', 'o.author_id')} AS customer_id, o.display_name FROM openers o
    WHERE NOT EXISTS (SELECT 1 FROM known k WHERE k.author_id = o.author_id)),
  created AS (
    INSERT INTO customer (id, brand_id, display_name, created_at) SELECT customer_id, $1, display_name, $3 FROM fresh
    ON CONFLICT (id) DO NOTHING),
  linked AS (
    INSERT INTO customer_author (brand_id, author_id, customer_id, linked_at, linked_by) SELECT $1, author_id, customer_id, $3, 'paradox' FROM fresh
    ON CONFLICT (brand_id, author_id) DO NOTHING),
  customers AS (
    SELECT author_id, customer_id FROM known UNION ALL SELECT author_id, customer_id FROM fresh),
  -- first-time-fix.ts, breaksFirstTimeFix: the same topic, at or after the resolution, within the window.
  missed AS (
    UPDATE "case" c SET first_time_fix_verdict = 'no', updated_at = $3,
      first_time_fix_why = c.first_time_fix_why || jsonb_build_array(jsonb_build_object('rule', 'complaint',
        'at', to_char(x.posted_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"'), 'postId', x.post_id, 'topic', x.topic))
    FROM (SELECT DISTINCT ON (e.id) e.id, p.posted_at, p.post_id, p.topic
          FROM page p JOIN customers cu USING (author_id)
          -- Per customer through ix_case_ftf_pending (OFFSET 0 keeps it a lookup, not a join over every case).
          CROSS JOIN LATERAL (SELECT e.id FROM "case" e JOIN post_analysis pa ON pa.post_id = e.first_post_id
            WHERE e.customer_id = cu.customer_id AND e.first_time_fix_verdict = 'pending' AND pa.topic = p.topic
              AND e.resolved_at <= p.posted_at AND e.resolved_at > p.posted_at - make_interval(days => $5::int) OFFSET 0) e
          WHERE p.complaint AND e.id IS DISTINCT FROM p.case_id
          ORDER BY e.id, p.posted_at) x
    WHERE c.id = x.id)
  SELECT cu.author_id, cu.customer_id, h.earlier, h.won_back, h.won_back_number,
    (SELECT max(a.followers) FROM customer_author l JOIN author a ON a.id = l.author_id WHERE l.customer_id = cu.customer_id) AS followers
  FROM customers cu JOIN openers USING (author_id)
  CROSS JOIN LATERAL (${historySql('cu.customer_id', '$3::timestamptz', '$4::int')}) h`;

@Injectable()
export class CustomerIntakeService {
  constructor(private readonly config: AppConfig) {}

  // Inside the page's transaction; the customers of the authors who open a case, by author id.
  async takeIn(brandId: string, posts: CustomerIntakePost[], now: Date, m: EntityManager): Promise<Map<string, CustomerFacts>> {
    const facts = new Map<string, CustomerFacts>();
    if (!posts.length) return facts;
    const brand = this.config.brand(brandId);
    const page = posts.map((p) => ({
      author_id: p.authorId,
      display_name: p.displayName,
      opens: p.opens,
      complaint: p.complaint,
      case_id: p.caseId,
      post_id: p.postId,
      topic: p.topic,
      posted_at: p.postedAt,
    }));
    const rows = await queryPrepared<FactsRow>(m, 'customers-take-in', takeInSql, [brandId, pgSafeJson(page), now, brand.repeatFailure.windowDays, brand.firstTimeFix.windowDays]);
    for (const row of rows) facts.set(row.author_id, { customerId: row.customer_id, followers: row.followers, ...historyOf(row) });
    return facts;
  }
}
