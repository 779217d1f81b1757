import type { BrandConfig } from '../config/config.schema.js';
import type { PostAnalysisResult } from '../analysis/analysis.service.js';
import type { Due } from '../customers/priority.js';
import type { Case } from './case.entity.js';

// Priorities (customers/priority.ts) run from 1 to 9; a reopened case goes to the top of the queue.
export { REOPEN_PRIORITY } from '../customers/priority.js';

export function ackDueAt(postedAt: Date, brand: BrandConfig): Date {
  return new Date(postedAt.getTime() + brand.sla.ackMinutes * 60_000);
}

export function followUpDueAt(resolvedAt: Date, brand: BrandConfig): Date {
  return new Date(resolvedAt.getTime() + brand.followUp.delayMinutes * 60_000);
}

export function claimExpiresAt(now: Date, brand: BrandConfig): Date {
  return new Date(now.getTime() + brand.claimMinutes * 60_000);
}

// The nearest time something is due on a case, which the time left in its priority counts down
// to; NEXT_DUE_SQL says the same in the queue's SQL. Until it is acknowledged, the acknowledgement.
export function nextDue(c: Pick<Case, 'acknowledgedAt' | 'ackDueAt'>): Due | null {
  return c.acknowledgedAt ? null : { at: c.ackDueAt, milestone: 'acknowledgement' };
}

export const NEXT_DUE_SQL = (alias: string) => `CASE WHEN ${alias}.acknowledged_at IS NULL THEN ${alias}.ack_due_at END`;

export type AnswerOutcome = 'recovered' | 'reopen' | 'unclear';

// What the customer's answer to "is everything resolved?" says.
export function answerOutcome(analysis: PostAnalysisResult): AnswerOutcome {
  if (analysis.complaint.label || analysis.sentiment.label === 'negative') return 'reopen';
  if (analysis.sentiment.label === 'positive') return 'recovered';
  return 'unclear';
}

export { caseReference } from '../common/case-reference.js';
