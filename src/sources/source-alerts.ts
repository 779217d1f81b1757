import type { SubscriptionStatus } from './connectors/rss/feed-subscription.entity.js';

// What a care team must hear about a source before customers notice: its credentials stopped
// working, or a channel that normally has traffic went quiet (a revoked token, a changed API or a
// blocked account often looks exactly like that: no error, just nothing).
export interface SourceAlert {
  code: 'AUTH_EXPIRED' | 'SILENT' | 'PUSH_LOST';
  message: string;
  since: Date;
}

export interface SourceTraffic {
  // Posts taken in over the last TRAFFIC_WINDOW_MS, and the newest one's fetch time.
  recentPosts: number;
  lastPostAt: Date | null;
}

export interface SourceCondition {
  lastError: string | null;
  lastErrorAt: Date | null;
  healthy: boolean | null;
}

// A feed's WebSub subscription as the alerts read it (feed-subscription.entity.ts).
export interface PushCondition {
  status: SubscriptionStatus;
  requestedAt: Date;
  leaseExpiresAt: Date | null;
  lastError: string | null;
}

export const TRAFFIC_WINDOW_MS = 7 * 24 * 60 * 60_000;
// A channel counts as having traffic with this many posts a week.
const USUAL_TRAFFIC = 20;
// A subscription request the hub has not verified in this long will not be (it cannot reach the callback).
const UNVERIFIED_MS = 15 * 60_000;
// Silent: no post for this many usual gaps between posts, and at least SILENT_FLOOR_MS.
const SILENT_GAPS = 10;
const SILENT_FLOOR_MS = 6 * 60 * 60_000;

export function sourceAlerts(condition: SourceCondition, traffic: SourceTraffic, now: Date, push: PushCondition | null = null): SourceAlert[] {
  const alerts: SourceAlert[] = [];
  const lost = push && pushLost(push, now);
  if (lost) alerts.push({ code: 'PUSH_LOST', message: `${lost.why}: new entries wait for the next poll instead of arriving within seconds`, since: lost.since });
  if (condition.healthy === false && condition.lastError?.startsWith('AUTH_EXPIRED') && condition.lastErrorAt) {
    alerts.push({ code: 'AUTH_EXPIRED', message: 'The platform refuses the credentials: renew the token or app password in the config', since: condition.lastErrorAt });
  }
  if (traffic.recentPosts >= USUAL_TRAFFIC && traffic.lastPostAt) {
    const usualGapMs = TRAFFIC_WINDOW_MS / traffic.recentPosts;
    const quietMs = now.getTime() - traffic.lastPostAt.getTime();
    if (quietMs >= Math.max(SILENT_FLOOR_MS, SILENT_GAPS * usualGapMs)) {
      const hours = Math.floor(quietMs / 3_600_000);
      alerts.push({ code: 'SILENT', message: `No post for ${hours} hours from a source that took in ${traffic.recentPosts} in the week before`, since: traffic.lastPostAt });
    }
  }
  return alerts;
}

// A feed that was pushed and no longer is: the hub refused, cannot be asked, never verified, or
// the lease ran out without a renewal.
function pushLost(push: PushCondition, now: Date): { why: string; since: Date } | null {
  const detail = push.lastError ? ` (${push.lastError})` : '';
  if (push.status === 'denied') return { why: `The feed's WebSub hub denied the subscription${detail}`, since: push.requestedAt };
  if (push.status === 'failed') return { why: `The feed's WebSub hub could not be asked for a subscription${detail}`, since: push.requestedAt };
  if (push.status === 'requested' && now.getTime() - push.requestedAt.getTime() > UNVERIFIED_MS) {
    return { why: "The feed's WebSub hub never verified the subscription: check that it can reach server.publicUrl", since: push.requestedAt };
  }
  if (pushStatus(push, now) === 'expired') return { why: "The feed's WebSub subscription ran out", since: push.leaseExpiresAt! };
  return null;
}

// Where a subscription stands now: an active one whose lease has run out is expired.
export function pushStatus(push: Pick<PushCondition, 'status' | 'leaseExpiresAt'>, now: Date): SubscriptionStatus | 'expired' {
  return push.status === 'active' && push.leaseExpiresAt && push.leaseExpiresAt <= now ? 'expired' : push.status;
}
