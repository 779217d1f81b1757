// First-time fix: resolved without a transfer, without being reopened, and without a new
// complaint from the same customer on the same topic within the window after the resolution, on
// any channel. Until the window has passed the verdict is pending.

export type FirstTimeFixVerdict = 'pending' | 'yes' | 'no';

// What took the first-time fix away, kept on the case (first_time_fix_why).
export type FirstTimeFixMiss =
  | { rule: 'transferred'; count: number }
  | { rule: 'reopened'; at: string }
  | { rule: 'complaint'; at: string; postId: string; topic: string };

const DAY = 86_400_000;

export function windowEndsAt(resolvedAt: Date, windowDays: number): Date {
  return new Date(resolvedAt.getTime() + windowDays * DAY);
}

// The misses known when an agent resolves: transfers (from the case's events) and reopenings,
// beside those already recorded.
export function missesAtResolve(transfers: number, reopenCount: number, known: FirstTimeFixMiss[], now: Date): FirstTimeFixMiss[] {
  const misses: FirstTimeFixMiss[] = known.filter((m) => m.rule !== 'transferred');
  if (transfers > 0) misses.unshift({ rule: 'transferred', count: transfers });
  if (reopenCount > 0 && !misses.some((m) => m.rule === 'reopened')) misses.push({ rule: 'reopened', at: now.toISOString() });
  return misses;
}

// Whether a new complaint takes the first-time fix from a resolved case of the same customer.
// The intake applies this rule set-based in SQL (customer-intake.ts).
export function breaksFirstTimeFix(resolved: { resolvedAt: Date; topic: string }, complaint: { postedAt: Date; topic: string }, windowDays: number): boolean {
  const at = complaint.postedAt.getTime();
  return complaint.topic === resolved.topic && at >= resolved.resolvedAt.getTime() && at < windowEndsAt(resolved.resolvedAt, windowDays).getTime();
}

export interface FirstTimeFixView {
  verdict: FirstTimeFixVerdict | null;
  windowEndsAt: Date | null;
  why: string[];
}

// The rule's verdict at `now`: null before the case is resolved, no after any miss, pending while
// the window runs, yes once it has passed without one.
export function firstTimeFixVerdict(resolvedAt: Date | null, misses: FirstTimeFixMiss[], windowDays: number, now: Date): FirstTimeFixView {
  if (!resolvedAt) return { verdict: misses.length ? 'no' : null, windowEndsAt: null, why: misses.map(describeMiss) };
  const ends = windowEndsAt(resolvedAt, windowDays);
  if (misses.length) return { verdict: 'no', windowEndsAt: ends, why: misses.map(describeMiss) };
  if (now.getTime() < ends.getTime()) return { verdict: 'pending', windowEndsAt: ends, why: [`no transfer, reopening or new complaint on the topic so far; decided at ${ends.toISOString()}`] };
  return { verdict: 'yes', windowEndsAt: ends, why: [`no transfer, reopening or new complaint on the topic within ${windowDays} days`] };
}

function describeMiss(miss: FirstTimeFixMiss): string {
  switch (miss.rule) {
    case 'transferred':
      return `transferred ${miss.count === 1 ? 'once' : `${miss.count} times`}`;
    case 'reopened':
      return `reopened at ${miss.at}`;
    case 'complaint':
      return `a new complaint on ${miss.topic} at ${miss.at}`;
  }
}
