import { NOT_FAILURES, type EarlierCase } from './repeat-failure.js';

// SQL shared by the intake and by linking, so both read a customer's history the same way.

// A customer made at intake takes an id derived from the brand and its first author (a UUID of
// version 8, "custom"): two pollers taking in the same new author at once make one customer.
export const customerIdSql = (brand: string, author: string) => `overlay(overlay(md5(${brand} || '/' || ${author}::text) placing '8' from 13) placing '8' from 17)::uuid`;

// How many of a customer's earlier failures the intake reads: the priority and the managers'
// notice name the latest ones and count the rest, so a customer with many cases costs the page no
// more than one with a few.
export const EARLIER_SHOWN = 5;

const failure = (customer: string, at: string) =>
  `e.customer_id = ${customer} AND e.created_at < ${at} AND e.status NOT IN (${NOT_FAILURES.map((s) => `'${s}'`).join(', ')})`;

// The customer's cases before `at`, dismissed and merged ones left out: the latest EARLIER_SHOWN
// opened within the window (the repeat rule, repeat-failure.ts, then decides) and how many were,
// and the ones that ended recovered.
export const historySql = (customer: string, at: string, windowDays: string) => `
  SELECT coalesce((SELECT jsonb_agg(jsonb_build_object('caseId', e.id, 'number', e.number, 'openedAt', e.created_at, 'status', e.status))
           FROM (SELECT e.id, e.number, e.created_at, e.status FROM "case" e
                 WHERE ${failure(customer, at)} AND e.created_at >= ${at} - make_interval(days => ${windowDays})
                 ORDER BY e.created_at DESC LIMIT ${EARLIER_SHOWN}) e), '[]'::jsonb) AS earlier,
         count(*) FILTER (WHERE e.created_at >= ${at} - make_interval(days => ${windowDays}))::int AS earlier_count,
         count(*) FILTER (WHERE e.status = 'recovered')::int AS won_back,
         max(e.number) FILTER (WHERE e.status = 'recovered') AS won_back_number
  FROM "case" e
  WHERE ${failure(customer, at)}`;

export interface HistoryRow {
  earlier: { caseId: string; number: number; openedAt: string; status: string }[];
  earlier_count: number;
  won_back: number;
  won_back_number: number | null;
}

export function historyOf(row: HistoryRow): { earlier: EarlierCase[]; earlierCount: number; wonBack: { count: number; lastNumber: number | null } } {
  return {
    earlier: row.earlier.map((e) => ({ ...e, openedAt: new Date(e.openedAt) })),
    earlierCount: row.earlier_count,
    wonBack: { count: row.won_back, lastNumber: row.won_back_number },
  };
}
