import { caseReference } from '../common/case-reference.js';

// Priorities run from 1 (low) to 9. A case's factors take it at most to 8; 9 is kept for a
// reopened case, which goes above anything new.
export const REOPEN_PRIORITY = 9;
export const TOP_PRIORITY = 8;

const SEVERITY_POINTS: Record<string, number> = { low: 0, medium: 1, high: 2, critical: 3 };

export interface PriorityFactor {
  factor: 'complaint' | 'confidence' | 'severity' | 'audience' | 'repeat_failure' | 'won_back' | 'reopened' | 'time_left' | 'cap';
  points: number;
  why: string;
}

export interface Priority {
  priority: number;
  why: PriorityFactor[];
}

export interface PriorityInput {
  severity: string;
  complaintProbability: number;
  // The largest audience among the customer's authors.
  followers: number | null;
  // The customer's failures before this case within the repeat window (repeat-failure.ts).
  earlierFailures: { number: number; openedAt: Date }[];
  // How many failures there were within the window in all, when earlierFailures holds only the
  // latest of them (customer-history.ts, EARLIER_SHOWN).
  earlierCount?: number;
  repeatWindowDays: number;
  // The customer's earlier cases that ended recovered, and the latest of them.
  wonBack: { count: number; lastNumber: number | null };
  reopened: boolean;
}

export function reopenedPriority(): Priority {
  return { priority: REOPEN_PRIORITY, why: [{ factor: 'reopened', points: REOPEN_PRIORITY, why: 'reopened: the fix did not hold, back at the top of the queue' }] };
}

// The case's own factors, without the time left: stored on the case (priority, priority_why)
// when it opens, is reopened or its customer changes.
export function basePriority(input: PriorityInput): Priority {
  if (input.reopened) return reopenedPriority();
  const why: PriorityFactor[] = [{ factor: 'complaint', points: 2, why: 'a complaint starts at 2' }];
  if (input.complaintProbability >= 0.85) why.push({ factor: 'confidence', points: 1, why: `complaint probability ${input.complaintProbability.toFixed(2)} (0.85 or more)` });
  why.push({ factor: 'severity', points: SEVERITY_POINTS[input.severity] ?? 0, why: `severity ${input.severity}` });
  const followers = input.followers ?? 0;
  if (followers >= 100_000) why.push({ factor: 'audience', points: 2, why: `${followers.toLocaleString('en')} followers (100,000 or more)` });
  else if (followers >= 10_000) why.push({ factor: 'audience', points: 1, why: `${followers.toLocaleString('en')} followers (10,000 or more)` });
  const [last] = input.earlierFailures;
  if (last) {
    const more = (input.earlierCount ?? 0) - input.earlierFailures.length;
    const refs = input.earlierFailures.map((e) => caseReference(e.number)).join(', ') + (more > 0 ? ` and ${more} more` : '');
    why.push({ factor: 'repeat_failure', points: 2, why: `failed before within ${input.repeatWindowDays} days (${refs}); a second failure is not forgiven like the first` });
  }
  // A customer won back once is not a safer bet: the paradox holds for one failure, and a second
  // one undoes the recovery. So an earlier recovery raises the stakes instead of lowering them.
  if (input.wonBack.count > 0) {
    const ref = input.wonBack.lastNumber === null ? '' : ` (${caseReference(input.wonBack.lastNumber)})`;
    why.push({ factor: 'won_back', points: 1, why: `recovered before${ref}: the trust won back is at stake` });
  }
  return { priority: clamp(sum(why)), why };
}

// The time left to the nearest due time, in points: one definition for the queue's ORDER BY
// (priorityAtSql) and for the case view (priorityAt). Checked from the first step on.
export const URGENCY_STEPS = [
  { minutesLeft: 0, points: 2 },
  { minutesLeft: 15, points: 1 },
] as const;

export function urgencyPoints(dueAt: Date | null, now: Date): number {
  if (!dueAt) return 0;
  const minutesLeft = (dueAt.getTime() - now.getTime()) / 60_000;
  return URGENCY_STEPS.find((step) => minutesLeft <= step.minutesLeft)?.points ?? 0;
}

export interface Due {
  at: Date;
  // What is due: 'acknowledgement', or another SLA milestone.
  milestone: string;
}

// The priority at `now`: the stored factors plus the time left to the nearest due time, at most 8
// (a reopened case stays at 9). The points of the lines always add up to the priority.
export function priorityAt(base: Priority, due: Due | null, now: Date): Priority {
  if (base.priority >= REOPEN_PRIORITY) return base;
  const why = base.why.filter((f) => f.factor !== 'cap' && f.factor !== 'time_left');
  // A case stored before priorities were explained carries its number alone.
  if (!why.length) why.push({ factor: 'complaint', points: base.priority, why: 'priority set before its factors were kept' });
  const points = urgencyPoints(due?.at ?? null, now);
  if (points && due) {
    const minutes = Math.round((due.at.getTime() - now.getTime()) / 60_000);
    why.push({ factor: 'time_left', points, why: minutes <= 0 ? `${due.milestone} overdue by ${-minutes} min` : `${minutes} min left to the ${due.milestone}` });
  }
  const total = sum(why);
  if (total > TOP_PRIORITY) why.push({ factor: 'cap', points: TOP_PRIORITY - total, why: `at most ${TOP_PRIORITY}; ${REOPEN_PRIORITY} is kept for reopened cases` });
  return { priority: clamp(total), why };
}

// The same as priorityAt's number, in SQL, over a stored priority, a due time and now.
export function priorityAtSql(priority: string, dueAt: string, now: string): string {
  const steps = URGENCY_STEPS.map((s) => `WHEN ${dueAt} <= CAST(${now} AS timestamptz) + interval '${s.minutesLeft} minutes' THEN ${s.points}`).join(' ');
  return `(CASE WHEN ${priority} >= ${REOPEN_PRIORITY} THEN ${priority} ELSE LEAST(${TOP_PRIORITY}, ${priority} + CASE WHEN ${dueAt} IS NULL THEN 0 ${steps} ELSE 0 END) END)`;
}

const sum = (why: PriorityFactor[]) => why.reduce((total, f) => total + f.points, 0);
const clamp = (n: number) => Math.max(1, Math.min(TOP_PRIORITY, n));
