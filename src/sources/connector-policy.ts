import { ConnectorError } from './connector-error.js';

export interface FailureDecision {
  code: string;
  backoffUntil: Date;
  message: string;
}

const MAX_BACKOFF_MS = 15 * 60_000;
const AUTH_BACKOFF_MS = 15 * 60_000;

// The one place that decides what a failed poll or publish means: when to try again.
// Every failure marks the source unhealthy until a poll succeeds.
export function afterFailure(error: unknown, failures: number, now: Date, baseMs: number): FailureDecision {
  const e = error instanceof ConnectorError ? error : new ConnectorError('TEMPORARY', error instanceof Error ? error.message : String(error));
  const exponential = Math.min(baseMs * 2 ** Math.max(0, failures - 1), MAX_BACKOFF_MS);
  let until: number;
  switch (e.code) {
    case 'RATE_LIMITED':
      // Wait for the platform's reset, never less than the ordinary back-off.
      until = Math.max(e.resetAt?.getTime() ?? 0, now.getTime() + Math.min(baseMs, exponential));
      break;
    case 'AUTH_EXPIRED':
      until = now.getTime() + AUTH_BACKOFF_MS;
      break;
    default:
      until = now.getTime() + exponential;
  }
  return { code: e.code, backoffUntil: new Date(until), message: `${e.code}: ${e.message}` };
}
