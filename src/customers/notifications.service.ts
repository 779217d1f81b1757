import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, type EntityManager } from 'typeorm';
import { assertBrand, brandsFor, type Caller } from '../auth/caller.js';
import { caseReference } from '../common/case-reference.js';
import { Clock } from '../common/clock.js';
import { pgSafeJson } from '../common/pg-json.js';
import { MANAGERS } from '../auth/roles.decorator.js';
import { NotificationNotFoundError } from './customer-errors.js';
import type { NotificationKind } from './notification.entity.js';


interface NotificationRow {
  id: string;
  brand_id: string;
  recipient_role: string | null;
  recipient_user: string | null;
  kind: NotificationKind;
  case_id: string | null;
  number: number | null;
  data: Record<string, unknown>;
  created_at: Date;
  read_at: Date | null;
  read_by: string | null;
}

export interface NewNotification {
  brandId: string;
  kind: NotificationKind;
  caseId: string | null;
  data: Record<string, unknown>;
}

// What the brand's managers should look at: a repeated failure, an offer past an agent's budget.
// A notification to the role is the team's; one addressed to a person is theirs alone.
@Injectable()
export class NotificationsService {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly clock: Clock,
  ) {}

  // Set-based, in the caller's transaction.
  async notifyManagers(m: EntityManager, notifications: NewNotification[]): Promise<void> {
    if (!notifications.length) return;
    await m.query(
      `INSERT INTO notification (brand_id, recipient_role, kind, case_id, data, created_at)
       SELECT n.brand_id, 'manager', n.kind, n.case_id, n.data, $2 FROM jsonb_to_recordset($1::jsonb) AS n(brand_id text, kind text, case_id uuid, data jsonb)`,
      [pgSafeJson(notifications.map((n) => ({ brand_id: n.brandId, kind: n.kind, case_id: n.caseId, data: n.data }))), this.clock.now()],
    );
  }

  // Newest first, with how many are unread, for the brands the caller manages.
  async list(caller: Caller, filter: { brand?: string; unread?: boolean; limit: number; offset: number }) {
    const brands = brandsFor(caller, MANAGERS);
    const where = [`(n.recipient_role = 'manager' OR n.recipient_user = $1)`];
    const params: unknown[] = [caller.id];
    if (brands !== 'all') where.push(`n.brand_id = ANY($${params.push(brands)})`);
    if (filter.brand) where.push(`n.brand_id = $${params.push(filter.brand)}`);
    const unreadOnly = filter.unread ? ' AND n.read_at IS NULL' : '';
    const rows: NotificationRow[] = await this.db.query(
      `SELECT n.*, c.number FROM notification n LEFT JOIN "case" c ON c.id = n.case_id
       WHERE ${where.join(' AND ')}${unreadOnly} ORDER BY n.created_at DESC, n.id LIMIT ${filter.limit} OFFSET ${filter.offset}`,
      params,
    );
    const [{ unread }] = await this.db.query(`SELECT count(*)::int AS unread FROM notification n WHERE ${where.join(' AND ')} AND n.read_at IS NULL`, params);
    return { items: rows.map(notificationView), unread, limit: filter.limit, offset: filter.offset };
  }

  async markRead(caller: Caller, id: string) {
    return this.db.transaction(async (m) => {
      const [row]: NotificationRow[] = await m.query(`SELECT n.*, c.number FROM notification n LEFT JOIN "case" c ON c.id = n.case_id WHERE n.id = $1 FOR UPDATE OF n`, [id]);
      // Someone else's personal notification is as good as unknown.
      if (!row || (row.recipient_user && row.recipient_user !== caller.id)) throw new NotificationNotFoundError(id);
      assertBrand(caller, MANAGERS, row.brand_id);
      if (!row.read_at) {
        row.read_at = this.clock.now();
        row.read_by = caller.name;
        await m.query(`UPDATE notification SET read_at = $2, read_by = $3 WHERE id = $1`, [id, row.read_at, row.read_by]);
      }
      return notificationView(row);
    });
  }
}

function notificationView(row: NotificationRow) {
  return {
    id: row.id,
    kind: row.kind,
    brandId: row.brand_id,
    caseId: row.case_id,
    caseReference: row.number === null ? null : caseReference(row.number),
    data: row.data,
    createdAt: row.created_at,
    readAt: row.read_at,
    readBy: row.read_by,
  };
}
