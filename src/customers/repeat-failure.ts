// A customer who failed before: the service-recovery paradox (a well-recovered failure leaves a
// customer happier than no failure) holds once. After a second failure it does not, so such a
// case escalates.

// Cases that were never a failure of the brand: not a complaint after all, or folded into another.
export const NOT_FAILURES = ['dismissed', 'merged'] as const;

export interface EarlierCase {
  caseId: string;
  number: number;
  openedAt: Date;
  status: string;
}

const DAY = 86_400_000;

// The customer's earlier cases that count as failures before a case opened at `openedAt`: opened
// before it within the window, not dismissed or merged; newest first. (The SQL that fetches
// them, customer-history.ts, already bounds them the same way.)
export function earlierFailures(earlier: EarlierCase[], openedAt: Date, windowDays: number): EarlierCase[] {
  const from = openedAt.getTime() - windowDays * DAY;
  return earlier
    .filter((e) => !(NOT_FAILURES as readonly string[]).includes(e.status))
    .filter((e) => e.openedAt.getTime() < openedAt.getTime() && e.openedAt.getTime() >= from)
    .sort((a, b) => b.openedAt.getTime() - a.openedAt.getTime() || b.number - a.number);
}
