import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { AuditService } from '../audit/audit.service.js';
import { Clock } from '../common/clock.js';
import { AppConfig } from '../config/app-config.js';
import { BadCredentialsError, FieldError, SignInContentTypeError, SignInThrottledError } from './auth-errors.js';
import type { Caller, Grant } from './caller.js';
import type { Credential } from './credential.js';
import { auditBrand } from './grant-rules.js';
import { hashPassword, needsRehash, verifyPassword } from './password.js';
import { csrfTokenFor, newSessionId, sha256Hex } from './session-cookie.js';
import { Session } from './session.entity.js';
import { SignInAttemptsService } from './sign-in-attempts.service.js';
import { AppUser } from './user.entity.js';
import { type UserView, UsersService } from './users.service.js';

export interface SignInRequest {
  ip: string;
  userAgent: string | null;
  contentType: string | undefined;
}

export interface SignedIn {
  sessionId: string;
  csrfToken: string;
  expiresAt: Date;
  user: UserView;
}

interface SessionRow {
  id_hash: string;
  idle_expires_at: Date;
  expires_at: Date;
  user_id: string;
  name: string;
  password_change_required: boolean;
  grants: Grant[];
}

// The idle expiry moves at most once a minute: a busy page does not write on every request.
const TOUCH_EVERY_MS = 60_000;

// Sign-in with a password, and the sessions it opens: the cookie holds a random id, the table its
// hash, with an idle and an absolute expiry.
@Injectable()
export class SessionsService {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly clock: Clock,
    private readonly config: AppConfig,
    private readonly audit: AuditService,
    private readonly users: UsersService,
    private readonly attempts: SignInAttemptsService,
  ) {}

  async signIn(input: { email?: string; name?: string; password: string }, from: SignInRequest): Promise<SignedIn> {
    if (from.contentType?.split(';')[0].trim().toLowerCase() !== 'application/json') throw new SignInContentTypeError();
    if (input.email !== undefined && input.name !== undefined) throw new FieldError('name', ['send email or name, not both']);
    const field = input.email !== undefined ? 'email' : 'name';
    const login = (input.email ?? input.name ?? '').trim().toLowerCase();
    const user = await this.users.findByLogin(field, login);
    // An unknown name is counted under the name tried, so it is throttled exactly like a known one;
    // hashed, as people do type their password into the name field.
    const attempt = await this.attempts.begin(user?.id ?? `login:${sha256Hex(login)}`, from.ip);
    if (attempt.verdict.throttled) throw new SignInThrottledError(attempt.verdict.retryAfterSeconds);
    // Verified against a dummy hash when there is no user: the answer takes as long either way.
    const matches = await verifyPassword(user?.passwordHash ?? null, input.password);
    if (!user || !matches || !user.active) {
      await this.attempts.finish(attempt.id, 'failed');
      throw new BadCredentialsError();
    }
    await this.attempts.finish(attempt.id, 'succeeded');
    const rehash = needsRehash(user.passwordHash) ? await hashPassword(input.password) : null;

    const sessionId = newSessionId();
    const now = this.clock.now();
    const expiresAt = new Date(now.getTime() + this.config.auth.sessionMaxMinutes * 60_000);
    const idleExpiresAt = new Date(Math.min(now.getTime() + this.config.auth.sessionIdleMinutes * 60_000, expiresAt.getTime()));
    const grants = (await this.users.grantsOf([user.id])).get(user.id) ?? [];
    await this.db.transaction(async (m) => {
      await m.insert(Session, { idHash: sha256Hex(sessionId), userId: user.id, createdAt: now, lastSeenAt: now, idleExpiresAt, expiresAt, ip: from.ip, userAgent: from.userAgent?.slice(0, 500) ?? null });
      if (rehash) await m.update(AppUser, user.id, { passwordHash: rehash });
      await this.audit.record(m, { actor: user, action: 'user.signed_in', brandId: auditBrand(grants), subject: user.id, data: { ip: from.ip } });
      // Ended sessions go, a hundred at a time.
      await m.query(`DELETE FROM session WHERE id_hash IN (SELECT id_hash FROM session WHERE expires_at <= $1 OR idle_expires_at <= $1 LIMIT 100)`, [now]);
    });
    return { sessionId, csrfToken: csrfTokenFor(sessionId), expiresAt, user: (await this.users.viewOf(user.id))! };
  }

  // The caller a session cookie stands for, while the session and its user are active.
  async authenticate(sessionId: string): Promise<{ caller: Caller; credential: Credential } | null> {
    const now = this.clock.now();
    const idHash = sha256Hex(sessionId);
    const [row]: SessionRow[] = await this.db.query(
      `SELECT s.id_hash, s.idle_expires_at, s.expires_at, u.id AS user_id, u.name, u.password_change_required,
              COALESCE((SELECT json_agg(json_build_object('role', g.role, 'brandId', g.brand_id)) FROM role_grant g WHERE g.user_id = u.id), '[]'::json) AS grants
         FROM session s JOIN app_user u ON u.id = s.user_id
        WHERE s.id_hash = $1 AND s.idle_expires_at > $2 AND s.expires_at > $2 AND u.active`,
      [idHash, now],
    );
    if (!row) return null;
    const expiresAt = new Date(row.expires_at);
    const nextIdle = Math.min(now.getTime() + this.config.auth.sessionIdleMinutes * 60_000, expiresAt.getTime());
    if (nextIdle - new Date(row.idle_expires_at).getTime() >= TOUCH_EVERY_MS) {
      await this.db.query(`UPDATE session SET last_seen_at = $2, idle_expires_at = $3 WHERE id_hash = $1`, [idHash, now, new Date(nextIdle)]);
    }
    return {
      caller: { id: row.user_id, name: row.name, grants: row.grants },
      credential: { kind: 'session', sessionId, userId: row.user_id, passwordChangeRequired: row.password_change_required, expiresAt },
    };
  }

  async signOut(credential: Credential): Promise<void> {
    if (credential.kind === 'session') await this.db.getRepository(Session).delete({ idHash: sha256Hex(credential.sessionId) });
  }

  // Who is calling, how, and (signed in by cookie) the CSRF token to send with changes.
  async me(caller: Caller, credential: Credential) {
    const userId = credential.kind === 'config' ? null : credential.userId;
    return {
      kind: credential.kind,
      id: caller.id,
      name: caller.name,
      grants: caller.grants,
      user: userId ? await this.users.viewOf(userId) : null,
      csrfToken: credential.kind === 'session' ? csrfTokenFor(credential.sessionId) : null,
      expiresAt: credential.kind === 'config' ? null : credential.expiresAt,
    };
  }
}
