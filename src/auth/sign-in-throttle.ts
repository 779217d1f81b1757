export interface ThrottleRule {
  maxFailuresPerAccount: number;
  maxFailuresPerIp: number;
  windowMinutes: number;
}

export type ThrottleVerdict = { throttled: false } | { throttled: true; retryAfterSeconds: number };

// When failures at these times stop holding the door shut: once fewer than max of them are within
// the window, that is, when the max-th newest leaves it. Null while fewer than max.
function openAt(failures: readonly Date[], max: number, windowMs: number): number | null {
  if (failures.length < max) return null;
  const newestFirst = failures.map((f) => f.getTime()).sort((a, b) => b - a);
  return newestFirst[max - 1] + windowMs;
}

// Whether a sign-in may be tried now, given the failures within the window before it: the
// account's since its last success, and the address's. Unknown accounts are counted by the name
// tried, so they are throttled exactly like known ones.
export function signInVerdict(accountFailures: readonly Date[], ipFailures: readonly Date[], now: Date, rule: ThrottleRule): ThrottleVerdict {
  const windowMs = rule.windowMinutes * 60_000;
  const since = now.getTime() - windowMs;
  const within = (failures: readonly Date[]) => failures.filter((f) => f.getTime() > since);
  const opens = [openAt(within(accountFailures), rule.maxFailuresPerAccount, windowMs), openAt(within(ipFailures), rule.maxFailuresPerIp, windowMs)].filter(
    (t): t is number => t !== null,
  );
  if (!opens.length) return { throttled: false };
  return { throttled: true, retryAfterSeconds: Math.max(1, Math.ceil((Math.max(...opens) - now.getTime()) / 1000)) };
}
