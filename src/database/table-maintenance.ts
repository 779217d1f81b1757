// PostgreSQL's autovacuum rule (relation_needs_vacanalyze), for a database that runs no autovacuum:
// PGlite has no background workers. Without it the planner's statistics stay those of the day a
// table was small, and a prepared statement keeps a plan made then, so ingestion on the embedded
// database slows as its tables grow.

// The autovacuum_* settings of the database itself, so the rule is the one its autovacuum would apply.
export interface AutovacuumSettings {
  vacuumThreshold: number;
  vacuumScaleFactor: number;
  vacuumInsertThreshold: number;
  vacuumInsertScaleFactor: number;
  analyzeThreshold: number;
  analyzeScaleFactor: number;
  freezeMaxAge: number;
}

// One table as pg_stat_user_tables and pg_class see it.
export interface TableActivity {
  table: string;
  // pg_class.reltuples: -1 before the table was first vacuumed or analysed.
  reltuples: number;
  deadTuples: number;
  insertedSinceVacuum: number;
  modifiedSinceAnalyze: number;
  // age(relfrozenxid): transactions since the table was last frozen.
  xidAge: number;
}

export interface TableMaintenance {
  table: string;
  vacuum: boolean;
  analyze: boolean;
  why: string[];
}

export function maintenanceDue(t: TableActivity, s: AutovacuumSettings): TableMaintenance | null {
  const tuples = Math.max(t.reltuples, 0);
  const why: string[] = [];
  if (t.xidAge > s.freezeMaxAge) why.push(`transaction id age ${t.xidAge} > ${s.freezeMaxAge}`);
  const dead = s.vacuumThreshold + s.vacuumScaleFactor * tuples;
  if (t.deadTuples > dead) why.push(`${t.deadTuples} dead rows > ${Math.round(dead)}`);
  const inserted = s.vacuumInsertThreshold + s.vacuumInsertScaleFactor * tuples;
  if (s.vacuumInsertThreshold >= 0 && t.insertedSinceVacuum > inserted) why.push(`${t.insertedSinceVacuum} rows inserted > ${Math.round(inserted)}`);
  const vacuum = why.length > 0;
  const changed = s.analyzeThreshold + s.analyzeScaleFactor * tuples;
  const analyze = t.modifiedSinceAnalyze > changed;
  if (analyze) why.push(`${t.modifiedSinceAnalyze} rows changed since analysed > ${Math.round(changed)}`);
  return vacuum || analyze ? { table: t.table, vacuum, analyze, why } : null;
}

// The statement for one table; VACUUM runs outside a transaction block.
export function maintenanceSql(m: TableMaintenance): string {
  const name = `"${m.table.replaceAll('"', '""')}"`;
  if (m.vacuum) return `VACUUM ${m.analyze ? '(ANALYZE) ' : ''}${name}`;
  return `ANALYZE ${name}`;
}
