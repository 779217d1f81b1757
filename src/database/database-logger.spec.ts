import { describe, expect, it } from '@jest/globals';
import type { Logger } from 'typeorm';
import { DatabaseLogger } from './database-logger.js';

const recorder = () => {
  const lines: string[] = [];
  const record = (message: unknown) => void lines.push(String(message));
  // As TypeORM calls it: with the parameters.
  const logger: Logger = new DatabaseLogger({ debug: record, warn: record });
  return { lines, logger };
};

describe('DatabaseLogger', () => {
  it('logs a failed query with its error and statement, never the values it was given', () => {
    const { lines, logger } = recorder();
    const query = `INSERT INTO "app_user"("name", "email", "password_hash")\n       VALUES ($1, $2, $3)`;
    logger.logQueryError(new Error('duplicate key value violates unique constraint "uq_app_user_email"'), query, [
      'ann',
      'ann@example.test',
      '$argon2id$v=19$m=19456,p=1,t=2$secret',
    ]);
    expect(lines).toEqual(['query failed: duplicate key value violates unique constraint "uq_app_user_email"; INSERT INTO "app_user"("name", "email", "password_hash") VALUES ($1, $2, $3)']);
  });

  it('logs nothing for the queries that succeed', () => {
    const { lines, logger } = recorder();
    logger.logQuery('SELECT $1', ['ann@example.test']);
    logger.logQuerySlow(5000, 'SELECT $1', ['ann@example.test']);
    expect(lines).toEqual([]);
  });

  it('cuts a long statement short', () => {
    const { lines, logger } = recorder();
    logger.logQueryError('boom', `SELECT ${'x, '.repeat(100)}1`);
    expect(lines[0]).toMatch(/^query failed: boom; SELECT x, x, .{140,}…$/);
    expect(lines[0].length).toBeLessThan(200);
  });
});
