import { describe, expect, it } from '@jest/globals';
import { type AutovacuumSettings, type TableActivity, maintenanceDue, maintenanceSql } from './table-maintenance.js';

// PostgreSQL's defaults.
const DEFAULTS: AutovacuumSettings = {
  vacuumThreshold: 50,
  vacuumScaleFactor: 0.2,
  vacuumInsertThreshold: 1000,
  vacuumInsertScaleFactor: 0.2,
  analyzeThreshold: 50,
  analyzeScaleFactor: 0.1,
  freezeMaxAge: 200_000_000,
};
const quiet: TableActivity = { table: 'post', reltuples: 10_000, deadTuples: 0, insertedSinceVacuum: 0, modifiedSinceAnalyze: 0, xidAge: 1000 };

describe('maintenanceDue', () => {
  it('leaves a table alone while fewer rows changed than the thresholds allow', () => {
    expect(maintenanceDue({ ...quiet, modifiedSinceAnalyze: 1050, deadTuples: 2050, insertedSinceVacuum: 3000 }, DEFAULTS)).toBeNull();
  });

  it('analyses a table once more than 50 rows plus a tenth of it changed', () => {
    expect(maintenanceDue({ ...quiet, modifiedSinceAnalyze: 1051 }, DEFAULTS)).toEqual({
      table: 'post',
      vacuum: false,
      analyze: true,
      why: ['1051 rows changed since analysed > 1050'],
    });
  });

  it('analyses a table never analysed (reltuples -1) after its first 51 rows', () => {
    expect(maintenanceDue({ ...quiet, reltuples: -1, modifiedSinceAnalyze: 51 }, DEFAULTS)?.analyze).toBe(true);
    expect(maintenanceDue({ ...quiet, reltuples: -1, modifiedSinceAnalyze: 50 }, DEFAULTS)).toBeNull();
  });

  it('vacuums for dead rows, for rows inserted since the last vacuum, and against transaction id wraparound', () => {
    expect(maintenanceDue({ ...quiet, deadTuples: 2051 }, DEFAULTS)?.why).toEqual(['2051 dead rows > 2050']);
    expect(maintenanceDue({ ...quiet, insertedSinceVacuum: 3001 }, DEFAULTS)?.why).toEqual(['3001 rows inserted > 3000']);
    expect(maintenanceDue({ ...quiet, xidAge: 200_000_001 }, DEFAULTS)).toMatchObject({ vacuum: true, analyze: false });
  });

  it('never vacuums for inserts when the insert threshold is -1, as PostgreSQL reads it', () => {
    expect(maintenanceDue({ ...quiet, insertedSinceVacuum: 1_000_000 }, { ...DEFAULTS, vacuumInsertThreshold: -1 })).toBeNull();
  });
});

describe('maintenanceSql', () => {
  it('vacuums and analyses in one statement, and quotes the table name', () => {
    expect(maintenanceSql({ table: 'case', vacuum: true, analyze: true, why: [] })).toBe('VACUUM (ANALYZE) "case"');
    expect(maintenanceSql({ table: 'a"b', vacuum: false, analyze: true, why: [] })).toBe('ANALYZE "a""b"');
    expect(maintenanceSql({ table: 'post', vacuum: true, analyze: false, why: [] })).toBe('VACUUM "post"');
  });
});
