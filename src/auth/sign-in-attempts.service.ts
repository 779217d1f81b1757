import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { Clock } from '../common/clock.js';
import { AppConfig } from '../config/app-config.js';
import type { SignInOutcome } from './sign-in-attempt.entity.js';
import { signInVerdict, type ThrottleVerdict } from './sign-in-throttle.js';

// Attempts older than this are deleted, a hundred at a time, as new ones finish.
const KEEP_DAYS = 30;

// The throttle's memory, in SQL: every process running Paradox counts the same failures.
@Injectable()
export class SignInAttemptsService {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly clock: Clock,
    private readonly config: AppConfig,
  ) {}

  // Writes the attempt as pending before any password is checked, then counts the failures and
  // pending attempts before it: attempts sent at once see each other, and only the first few go on.
  async begin(account: string, ip: string): Promise<{ id: string; verdict: ThrottleVerdict }> {
    const now = this.clock.now();
    const rule = this.config.auth.signIn;
    const since = new Date(now.getTime() - rule.windowMinutes * 60_000);
    const [{ id }]: { id: string }[] = await this.db.query(
      `INSERT INTO sign_in_attempt (at, account, ip, outcome) VALUES ($1, $2, $3, 'pending') RETURNING id`,
      [now, account, ip],
    );
    const accountFailures: { at: Date }[] = await this.db.query(
      `SELECT at FROM sign_in_attempt
        WHERE account = $1 AND id < $2 AND at > $3 AND outcome IN ('pending', 'failed')
          AND id > COALESCE((SELECT max(id) FROM sign_in_attempt WHERE account = $1 AND id < $2 AND outcome = 'succeeded'), 0)
        ORDER BY id DESC LIMIT $4`,
      [account, id, since, rule.maxFailuresPerAccount],
    );
    const ipFailures: { at: Date }[] = await this.db.query(
      `SELECT at FROM sign_in_attempt WHERE ip = $1 AND id < $2 AND at > $3 AND outcome IN ('pending', 'failed') ORDER BY id DESC LIMIT $4`,
      [ip, id, since, rule.maxFailuresPerIp],
    );
    const verdict = signInVerdict(
      accountFailures.map((f) => new Date(f.at)),
      ipFailures.map((f) => new Date(f.at)),
      now,
      rule,
    );
    if (verdict.throttled) await this.finish(id, 'throttled');
    return { id, verdict };
  }

  async finish(id: string, outcome: Exclude<SignInOutcome, 'pending'>): Promise<void> {
    await this.db.query(`UPDATE sign_in_attempt SET outcome = $2 WHERE id = $1`, [id, outcome]);
    const old = new Date(this.clock.now().getTime() - KEEP_DAYS * 86_400_000);
    await this.db.query(`DELETE FROM sign_in_attempt WHERE id IN (SELECT id FROM sign_in_attempt WHERE at < $1 ORDER BY at LIMIT 100)`, [old]);
  }
}
