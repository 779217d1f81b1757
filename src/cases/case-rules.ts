import type { BrandConfig } from '../config/config.schema.js';
import type { PostAnalysisResult } from '../analysis/analysis.service.js';


// Priorities run from 1 (low) to 9; a reopened case goes to the top of the queue.
export const REOPEN_PRIORITY = 9;

const SEVERITY_PRIORITY = { low: 0, medium: 1, high: 2, critical: 3 } as const;

export function followUpDueAt(resolvedAt: Date, brand: BrandConfig): Date {
  return new Date(resolvedAt.getTime() + brand.followUp.delayMinutes * 60_000);
}

export function claimExpiresAt(now: Date, brand: BrandConfig): Date {
  return new Date(now.getTime() + brand.claimMinutes * 60_000);
}

// 2 for a complaint, more for a confident one, a large audience and a severe failure: at most 8.
export function initialPriority(analysis: PostAnalysisResult, followers: number | null): number {
  let priority = 2;
  if (analysis.complaint.probability >= 0.85) priority += 1;
  if ((followers ?? 0) >= 10_000) priority += 1;
  priority += SEVERITY_PRIORITY[analysis.severity] ?? 0;
  return priority;
}

export type AnswerOutcome = 'recovered' | 'reopen' | 'unclear';

// What the customer's answer to "is everything resolved?" says.
export function answerOutcome(analysis: PostAnalysisResult): AnswerOutcome {
  if (analysis.complaint.label || analysis.sentiment.label === 'negative') return 'reopen';
  if (analysis.sentiment.label === 'positive') return 'recovered';
  return 'unclear';
}

export function caseReference(number: number): string {
  return `C-${number}`;
}
