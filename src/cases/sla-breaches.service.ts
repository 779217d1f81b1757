import { Injectable, Logger, type OnApplicationBootstrap } from '@nestjs/common';
import { SchedulerRegistry } from '@nestjs/schedule';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, type EntityManager } from 'typeorm';
import { AuditService, SYSTEM } from '../audit/audit.service.js';
import { Clock } from '../common/clock.js';
import { pgSafeJson } from '../common/pg-json.js';
import { AppConfig } from '../config/app-config.js';
import { MILESTONES, type Milestone } from './sla-policy.js';

export interface SlaBreach {
  caseId: string;
  brandId: string;
  milestone: Milestone;
  breachedAt: Date;
}

// Per milestone: the column a breach goes in, the due time, and where its clock stands ($1 is now).
// A milestone is breached once that point lies past the due time (sla-policy's isLate).
const COLUMNS: Record<Milestone, { breached: string; due: string; end: string }> = {
  acknowledgement: { breached: 'ack_breached_at', due: 'ack_due_at', end: 'coalesce(acknowledged_at, sla_stopped_at, $1)' },
  firstResponse: { breached: 'first_response_breached_at', due: 'first_response_due_at', end: 'coalesce(first_responded_at, sla_stopped_at, $1)' },
  resolution: { breached: 'resolution_breached_at', due: 'resolution_due_at', end: 'coalesce(sla_stopped_at, $1)' },
};

const BATCH = 500;

// Records each missed milestone once, with the time it was missed: a case_event and an audit entry
// by 'paradox'. The sweep looks at the running clocks (the queue); resolving, dismissing and
// merging call record() for their cases, so a breach nobody swept before the clock stopped is kept.
@Injectable()
export class SlaBreachesService implements OnApplicationBootstrap {
  private readonly logger = new Logger(SlaBreachesService.name);

  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly config: AppConfig,
    private readonly scheduler: SchedulerRegistry,
    private readonly clock: Clock,
    private readonly audit: AuditService,
  ) {}

  onApplicationBootstrap(): void {
    if (!this.config.worker.schedule) return;
    const tick = () => void this.sweep().catch((error) => this.logger.error(`sla sweep: ${error}`));
    this.scheduler.addInterval('sla-sweep', setInterval(tick, this.config.worker.slaSweepSeconds * 1000));
  }

  // Every breach of the queue's cases not recorded yet; returns how many were recorded.
  async sweep(): Promise<number> {
    let recorded = 0;
    for (;;) {
      const now = this.clock.now();
      const found = await this.db.transaction((m) => this.record(m, now));
      recorded += found.length;
      if (!found.length) return recorded;
    }
  }

  // One conditional UPDATE per milestone marks the breaches and returns them, so two sweeps at
  // once (two processes) never record one twice: the second finds the column set, or skips the
  // rows the first holds and sees them set at its next run.
  async record(m: EntityManager, now: Date, caseIds?: readonly string[]): Promise<SlaBreach[]> {
    const scope = caseIds ? 'id = ANY($3::uuid[])' : `status IN ('open', 'acknowledged')`;
    const breaches: SlaBreach[] = [];
    for (const milestone of MILESTONES) {
      const { breached, due, end } = COLUMNS[milestone];
      const [rows] = (await m.query(
        `UPDATE "case" SET ${breached} = ${due}
         WHERE id IN (SELECT id FROM "case" WHERE ${scope} AND ${breached} IS NULL AND ${due} < ${end}
                      ORDER BY ${due} LIMIT $2 FOR UPDATE SKIP LOCKED)
           AND ${breached} IS NULL
         RETURNING id, brand_id, ${breached} AS breached_at`,
        caseIds ? [now, BATCH, caseIds] : [now, BATCH],
      )) as [{ id: string; brand_id: string; breached_at: Date }[], number];
      breaches.push(...rows.map((r) => ({ caseId: r.id, brandId: r.brand_id, milestone, breachedAt: r.breached_at })));
    }
    if (!breaches.length) return breaches;
    await m.query(
      `INSERT INTO case_event (case_id, at, type, actor, data)
       SELECT e.case_id, e.at, 'sla_breached', $2, e.data FROM jsonb_to_recordset($1::jsonb) AS e(case_id uuid, at timestamptz, data jsonb)`,
      [pgSafeJson(breaches.map((b) => ({ case_id: b.caseId, at: b.breachedAt, data: { milestone: b.milestone, dueAt: b.breachedAt, recordedAt: now } }))), SYSTEM.name],
    );
    for (const b of breaches) {
      await this.audit.record(m, { actor: SYSTEM, action: 'case.sla_breached', brandId: b.brandId, caseId: b.caseId, at: now, data: { milestone: b.milestone, breachedAt: b.breachedAt } });
    }
    return breaches;
  }
}
