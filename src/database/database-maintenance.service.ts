import { Injectable, Logger, type OnApplicationBootstrap } from '@nestjs/common';
import { SchedulerRegistry } from '@nestjs/schedule';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { AppConfig } from '../config/app-config.js';
import { type AutovacuumSettings, type TableMaintenance, maintenanceDue, maintenanceSql } from './table-maintenance.js';

const SETTINGS: Record<keyof AutovacuumSettings | 'naptime' | 'version', string> = {
  version: 'server_version_num',
  naptime: 'autovacuum_naptime',
  vacuumThreshold: 'autovacuum_vacuum_threshold',
  vacuumScaleFactor: 'autovacuum_vacuum_scale_factor',
  vacuumInsertThreshold: 'autovacuum_vacuum_insert_threshold',
  vacuumInsertScaleFactor: 'autovacuum_vacuum_insert_scale_factor',
  analyzeThreshold: 'autovacuum_analyze_threshold',
  analyzeScaleFactor: 'autovacuum_analyze_scale_factor',
  freezeMaxAge: 'autovacuum_freeze_max_age',
};

const SLOW_MS = 1000;

interface ActivityRow {
  table: string;
  reltuples: number;
  dead: string;
  inserted: string;
  modified: string;
  xid_age: number;
}

// Autovacuum's job where no autovacuum launcher runs: PGlite, the embedded default, has no
// background workers, and a server may have autovacuum off. Every autovacuum_naptime (a minute)
// the tables past the database's own autovacuum thresholds are vacuumed and analysed, one
// statement each; fresh statistics also make the prepared statements plan again. A server's
// autovacuum launcher does this there, and this stays off.
@Injectable()
export class DatabaseMaintenanceService implements OnApplicationBootstrap {
  private readonly logger = new Logger(DatabaseMaintenanceService.name);
  // One pass at a time: a long VACUUM is not started again by the next tick.
  private pass: Promise<TableMaintenance[]> | null = null;

  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly config: AppConfig,
    private readonly scheduler: SchedulerRegistry,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    if (!this.config.worker.schedule) return;
    const [{ autovacuum }] = await this.db.query(
      `SELECT EXISTS (SELECT 1 FROM pg_stat_activity WHERE backend_type = 'autovacuum launcher') AS autovacuum`,
    );
    if (autovacuum) return;
    const { naptime } = await this.settings();
    const tick = () => void this.maintain().catch((error) => this.logger.error(`database maintenance: ${error}`));
    this.scheduler.addInterval('database-maintenance', setInterval(tick, naptime * 1000));
  }

  // Vacuums and analyses the tables that need it now; returns what was done.
  maintain(): Promise<TableMaintenance[]> {
    this.pass ??= this.run().finally(() => (this.pass = null));
    return this.pass;
  }

  private async run(): Promise<TableMaintenance[]> {
    const settings = await this.settings();
    // This connection's own counts, not flushed yet; on PGlite one backend serves every connection.
    // PostgreSQL 13 and 14 have no such function: their statistics collector is half a second behind.
    if (settings.version >= 150000) await this.db.query('SELECT pg_stat_force_next_flush()');
    const rows: ActivityRow[] = await this.db.query(
      `SELECT s.relname AS table, c.reltuples, s.n_dead_tup AS dead, s.n_ins_since_vacuum AS inserted,
         s.n_mod_since_analyze AS modified, age(c.relfrozenxid) AS xid_age
       FROM pg_stat_user_tables s JOIN pg_class c ON c.oid = s.relid
       WHERE s.schemaname = current_schema()
       ORDER BY s.relname`,
    );
    const due = rows
      .map((r) =>
        maintenanceDue(
          { table: r.table, reltuples: r.reltuples, deadTuples: Number(r.dead), insertedSinceVacuum: Number(r.inserted), modifiedSinceAnalyze: Number(r.modified), xidAge: r.xid_age },
          settings,
        ),
      )
      .filter((m): m is TableMaintenance => m !== null);
    for (const m of due) {
      const sql = maintenanceSql(m);
      const started = Date.now();
      await this.db.query(sql);
      const ms = Date.now() - started;
      // On PGlite the statement holds the one connection: a long one is worth a line in the log.
      this.logger[ms >= SLOW_MS ? 'log' : 'debug'](`${sql} in ${ms} ms: ${m.why.join('; ')}`);
    }
    return due;
  }

  private async settings(): Promise<Record<keyof typeof SETTINGS, number>> {
    const rows: { name: string; setting: string }[] = await this.db.query('SELECT name, setting FROM pg_settings WHERE name = ANY($1)', [Object.values(SETTINGS)]);
    const value = new Map(rows.map((r) => [r.name, Number(r.setting)]));
    const settings = {} as Record<keyof typeof SETTINGS, number>;
    for (const [key, name] of Object.entries(SETTINGS) as [keyof typeof SETTINGS, string][]) settings[key] = value.get(name)!;
    return settings;
  }
}
