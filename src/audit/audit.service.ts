import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, type EntityManager } from 'typeorm';
import { type Caller, whereCallerBrands } from '../auth/caller.js';
import { Clock } from '../common/clock.js';
import { pgSafeJson } from '../common/pg-json.js';
import { AuditEntry } from './audit-entry.entity.js';

export const SYSTEM = { id: 'paradox', name: 'paradox' } as const;

export interface AuditRecord {
  actor: Pick<Caller, 'id' | 'name'>;
  action: string;
  brandId: string | null;
  caseId?: string | null;
  replyId?: string | null;
  subject?: string | null;
  data?: Record<string, unknown>;
  at?: Date;
}

export interface AuditFilter {
  caseId?: string;
  brandId?: string;
  action?: string;
  from?: Date;
  to?: Date;
  limit: number;
  offset: number;
}

// The record of who did what. Written in the transaction of the change it records, so a change
// and its entry commit or fail together.
@Injectable()
export class AuditService {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly clock: Clock,
  ) {}

  async record(m: EntityManager, entry: AuditRecord): Promise<void> {
    await m.query(
      `INSERT INTO audit_entry (at, actor_id, actor, action, brand_id, case_id, reply_id, subject, data) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9::jsonb)`,
      [
        entry.at ?? this.clock.now(),
        entry.actor.id,
        entry.actor.name,
        entry.action,
        entry.brandId,
        entry.caseId ?? null,
        entry.replyId ?? null,
        entry.subject ?? null,
        pgSafeJson(entry.data ?? {}),
      ],
    );
  }

  // The entries a manager or admin may read: their brands' (and, for every-brand grants, the
  // settings and users too), oldest first within the period.
  async read(caller: Caller, filter: AuditFilter) {
    const q = this.db.getRepository(AuditEntry).createQueryBuilder('e').orderBy('e.at', 'ASC').addOrderBy('e.id', 'ASC').take(filter.limit).skip(filter.offset);
    whereCallerBrands(q, caller, ['manager', 'admin'], 'e.brandId');
    if (filter.caseId) q.andWhere('e.caseId = :caseId', { caseId: filter.caseId });
    if (filter.brandId) q.andWhere('e.brandId = :brandId', { brandId: filter.brandId });
    if (filter.action) q.andWhere('e.action = :action', { action: filter.action });
    if (filter.from) q.andWhere('e.at >= :from', { from: filter.from });
    if (filter.to) q.andWhere('e.at < :to', { to: filter.to });
    const [items, total] = await q.getManyAndCount();
    return { items, total, limit: filter.limit, offset: filter.offset };
  }
}
