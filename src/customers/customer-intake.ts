import { type HistoryRow, customerIdSql, historyOf, historySql } from './customer-history.js';
import type { EarlierCase } from './repeat-failure.js';

// What the queue needs to know of the customer behind a case it opens.
export interface CustomerFacts {
  customerId: string;
  // Cases opened before now within the brand's repeat window.
  earlier: EarlierCase[];
  // All of them, of which `earlier` holds the latest (EARLIER_SHOWN at most).
  earlierCount: number;
  wonBack: { count: number; lastNumber: number | null };
  // The largest audience among the customer's authors known before this page.
  followers: number | null;
}

export interface FactsRow extends HistoryRow {
  author_id: string;
  customer_id: string;
  followers: number | null;
}

// Placeholders of the statement the intake runs these CTEs in, and `complaints`: a query for the
// page's complaints, as (author_id uuid, display_name text, post_id uuid, root text, topic text,
// posted_at timestamptz). The root is the thread a complaint is on: a complaint never takes the
// first-time fix from its own thread's case, which it joins (and reopens) instead.
export interface IntakeParams {
  brand: string;
  complaints: string;
  now: string;
  repeatDays: string;
  ftfDays: string;
}

// CTEs for the case room's intake read (intakeReadSql, run by the statement that stores a page),
// so a page costs no statement of its own here: the
// authors of the page's complaints get a customer if they had none, the complaints take the
// first-time fix from the customer's resolved cases on the same topic within the window, and
// `customer_facts` holds each customer's history for the priority.
export const customerIntakeCtes = (p: IntakeParams) => `customer_page AS (${p.complaints}),
  openers AS (
    SELECT author_id, min(display_name) AS display_name FROM customer_page GROUP BY author_id),
  -- Looked up author by author (the key), never by reading the brand's every link.
  known AS (
    SELECT o.author_id, l.customer_id FROM openers o
    CROSS JOIN LATERAL (SELECT customer_id FROM customer_author l WHERE l.brand_id = ${p.brand} AND l.author_id = o.author_id LIMIT 1) l),
  fresh AS (
    SELECT o.author_id, ${customerIdSql(p.brand, 'o.author_id')} AS customer_id, o.display_name FROM openers o
    WHERE NOT EXISTS (SELECT 1 FROM known k WHERE k.author_id = o.author_id)),
  created AS (
    INSERT INTO customer (id, brand_id, display_name, created_at) SELECT customer_id, ${p.brand}, display_name, ${p.now} FROM fresh
    ON CONFLICT (id) DO NOTHING),
  linked AS (
    INSERT INTO customer_author (brand_id, author_id, customer_id, linked_at, linked_by) SELECT ${p.brand}, author_id, customer_id, ${p.now}, 'paradox' FROM fresh
    ON CONFLICT (brand_id, author_id) DO NOTHING),
  customers AS (
    SELECT author_id, customer_id FROM known UNION ALL SELECT author_id, customer_id FROM fresh),
  -- first-time-fix.ts, breaksFirstTimeFix: the same topic, at or after the resolution, within the window.
  missed AS (
    UPDATE "case" c SET first_time_fix_verdict = 'no', updated_at = ${p.now},
      first_time_fix_why = c.first_time_fix_why || jsonb_build_array(jsonb_build_object('rule', 'complaint',
        'at', to_char(x.posted_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"'), 'postId', x.post_id, 'topic', x.topic))
    FROM (SELECT DISTINCT ON (e.id) e.id, p.posted_at, p.post_id, p.topic
          FROM customer_page p JOIN customers cu USING (author_id)
          -- Per customer through ix_case_ftf_pending (OFFSET 0 keeps it a lookup, not a join over every case).
          CROSS JOIN LATERAL (SELECT e.id, e.author_id, e.thread_root_external_id FROM "case" e JOIN post fp ON fp.id = e.first_post_id
            WHERE e.customer_id = cu.customer_id AND e.first_time_fix_verdict = 'pending' AND fp.analysis_topic = p.topic
              AND e.resolved_at <= p.posted_at AND e.resolved_at > p.posted_at - make_interval(days => ${p.ftfDays}::int) OFFSET 0) e
          WHERE NOT (e.author_id = p.author_id AND e.thread_root_external_id = p.root)
          ORDER BY e.id, p.posted_at) x
    WHERE c.id = x.id),
  -- Customers with a past: the known ones, and a derived one that was made before (its author was
  -- linked to it once). One this page makes has no cases and no other author: nothing to read.
  pasts AS (
    SELECT author_id, customer_id FROM known
    UNION ALL
    SELECT f.author_id, f.customer_id FROM fresh f WHERE EXISTS (SELECT 1 FROM customer c WHERE c.id = f.customer_id OFFSET 0)),
  customer_facts AS (
    SELECT cu.author_id, cu.customer_id, h.earlier, h.earlier_count, h.won_back, h.won_back_number,
      (SELECT max(a.followers) FROM customer_author l JOIN author a ON a.id = l.author_id WHERE l.customer_id = cu.customer_id) AS followers
    FROM pasts cu
    CROSS JOIN LATERAL (${historySql('cu.customer_id', `${p.now}::timestamptz`, `${p.repeatDays}::int`)}) h
    UNION ALL
    SELECT f.author_id, f.customer_id, '[]'::jsonb, 0, 0, NULL::int, NULL::int FROM fresh f
    WHERE NOT EXISTS (SELECT 1 FROM pasts p WHERE p.author_id = f.author_id))`;

export function customerFacts(row: FactsRow): CustomerFacts {
  return { customerId: row.customer_id, followers: row.followers, ...historyOf(row) };
}
