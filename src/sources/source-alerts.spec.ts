import { describe, expect, it } from '@jest/globals';
import { sourceAlerts } from './source-alerts.js';

const HOUR = 3_600_000;
const now = new Date('2026-12-01T12:00:00Z');
const ago = (hours: number) => new Date(now.getTime() - hours * HOUR);
const fine = { healthy: true, lastError: null, lastErrorAt: null };
const quiet = { recentPosts: 0, lastPostAt: null };

describe('sourceAlerts', () => {
  it('warns when the platform refuses the credentials', () => {
    const alerts = sourceAlerts({ healthy: false, lastError: 'AUTH_EXPIRED: GET /api/v1/notifications: HTTP 401', lastErrorAt: ago(1) }, quiet, now);
    expect(alerts).toEqual([expect.objectContaining({ code: 'AUTH_EXPIRED', since: ago(1) })]);
  });

  it('says nothing of an expired token once a poll succeeded again', () => {
    expect(sourceAlerts({ healthy: true, lastError: 'AUTH_EXPIRED: HTTP 401', lastErrorAt: ago(3) }, quiet, now)).toEqual([]);
  });

  it('calls a busy channel silent after ten of its usual gaps without a post', () => {
    // 168 posts a week: one an hour, so ten hours of quiet is silence.
    expect(sourceAlerts(fine, { recentPosts: 168, lastPostAt: ago(9) }, now)).toEqual([]);
    expect(sourceAlerts(fine, { recentPosts: 168, lastPostAt: ago(10) }, now)).toEqual([expect.objectContaining({ code: 'SILENT', since: ago(10) })]);
  });

  it('waits at least six hours, however busy the channel', () => {
    expect(sourceAlerts(fine, { recentPosts: 5000, lastPostAt: ago(5) }, now)).toEqual([]);
    expect(sourceAlerts(fine, { recentPosts: 5000, lastPostAt: ago(6) }, now)[0].code).toBe('SILENT');
  });

  it('never calls a channel silent that hardly has traffic', () => {
    expect(sourceAlerts(fine, { recentPosts: 19, lastPostAt: ago(24 * 6) }, now)).toEqual([]);
  });

  it('warns when a pushed feed falls back to polling: denied, failed, never verified or run out', () => {
    const push = (status: 'requested' | 'active' | 'denied' | 'failed', extra = {}) => ({ status, requestedAt: ago(2), leaseExpiresAt: null, lastError: null, ...extra });
    expect(sourceAlerts(fine, quiet, now, push('denied', { lastError: 'the hub denied the subscription: topic not allowed' }))).toEqual([
      { code: 'PUSH_LOST', message: expect.stringContaining('denied the subscription (the hub denied the subscription: topic not allowed)'), since: ago(2) },
    ]);
    expect(sourceAlerts(fine, quiet, now, push('failed'))[0].code).toBe('PUSH_LOST');
    expect(sourceAlerts(fine, quiet, now, push('requested'))[0].message).toContain('server.publicUrl');
    expect(sourceAlerts(fine, quiet, now, push('requested', { requestedAt: new Date(now.getTime() - 10 * 60_000) }))).toEqual([]);
    expect(sourceAlerts(fine, quiet, now, push('active', { leaseExpiresAt: ago(1) }))).toEqual([expect.objectContaining({ code: 'PUSH_LOST', since: ago(1) })]);
    expect(sourceAlerts(fine, quiet, now, push('active', { leaseExpiresAt: new Date(now.getTime() + HOUR) }))).toEqual([]);
  });
});
