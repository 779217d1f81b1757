import { Logger as NestLogger } from '@nestjs/common';
import type { Logger } from 'typeorm';

type Lines = Pick<NestLogger, 'debug' | 'warn'>;

// TypeORM's own log, without the values a query was given: they carry post text written by
// strangers, e-mail addresses and password hashes. A failed query the app does not handle reaches
// AppErrorFilter or the worker's own log line; most are handled (a duplicate name answers 409),
// so here a failure is a debug line with the error and the start of the statement.
export class DatabaseLogger implements Logger {
  constructor(private readonly lines: Lines = new NestLogger('Database')) {}

  logQuery(): void {}

  logQueryError(error: string | Error, query: string): void {
    this.lines.debug(`query failed: ${error instanceof Error ? error.message : error}; ${statementStart(query)}`);
  }

  logQuerySlow(): void {}

  logSchemaBuild(message: string): void {
    this.lines.debug(message);
  }

  logMigration(message: string): void {
    this.lines.debug(message);
  }

  log(level: 'log' | 'info' | 'warn', message: unknown): void {
    if (level === 'warn') this.lines.warn(String(message));
    else this.lines.debug(String(message));
  }
}

// The SQL is the app's own text; the values travel apart from it, as parameters.
function statementStart(query: string): string {
  const flat = query.replace(/\s+/g, ' ').trim();
  return flat.length > 160 ? `${flat.slice(0, 160)}…` : flat;
}
