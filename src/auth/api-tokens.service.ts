import { randomBytes, timingSafeEqual } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { AuditService } from '../audit/audit.service.js';
import { Clock } from '../common/clock.js';
import { type ApiToken as ConfigToken, AppConfig } from '../config/app-config.js';
import { ApiToken } from './api-token.entity.js';
import { FieldError, GrantOutOfReachError, TokenNameTakenError, TokenNotFoundError, UserNotFoundError } from './auth-errors.js';
import { type Caller, type Grant, hasRole } from './caller.js';
import type { Credential } from './credential.js';
import { auditBrand, distinctGrants, grantOutOfReach, TOKEN_GRANTERS, USER_GRANTERS } from './grant-rules.js';
import { sha256Hex } from './session-cookie.js';
import { AppUser } from './user.entity.js';
import { uniqueViolation, UsersService } from './users.service.js';

export interface NewApiToken {
  name: string;
  userId?: string;
  grants?: Grant[];
  expiresAt?: Date;
}

export interface ApiTokenView {
  id: string;
  name: string;
  // The user it acts as, or null when it holds grants of its own.
  userId: string | null;
  userName: string | null;
  grants: Grant[] | null;
  createdBy: string;
  createdAt: Date;
  lastUsedAt: Date | null;
  expiresAt: Date | null;
  revokedAt: Date | null;
  revokedBy: string | null;
}

interface TokenRow {
  id: string;
  name: string;
  user_id: string | null;
  grants: Grant[] | null;
  expires_at: Date | null;
  revoked_at: Date | null;
  last_used_at: Date | null;
  user_name: string | null;
  user_active: boolean | null;
  user_grants: Grant[];
}

// Prefixed, so a leaked token is recognisable to secret scanners; 256 random bits after it.
const TOKEN_PREFIX = 'pdx_';
const TOUCH_EVERY_MS = 60_000;

const digest = (token: string) => Buffer.from(sha256Hex(token), 'hex');

// Bearer tokens: those named in the config file (a role for every brand), the one-time token of a
// first local run, and the tokens admins and managers make for integrations, stored as hashes.
@Injectable()
export class ApiTokensService {
  private readonly configTokens: { digest: Buffer; token: ConfigToken }[];
  // The one-time token works only while the database holds no user.
  private oneTimeOpen: boolean;

  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly clock: Clock,
    private readonly config: AppConfig,
    private readonly audit: AuditService,
    private readonly users: UsersService,
  ) {
    this.configTokens = config.apiTokens.map((token) => ({ digest: digest(token.token), token }));
    this.oneTimeOpen = config.generatedToken !== null;
  }

  // The token to print at start: only for a first run, with no tokens configured and no user yet.
  async oneTimeToken(): Promise<ConfigToken | null> {
    if (this.oneTimeOpen && (await this.anyUser())) this.oneTimeOpen = false;
    return this.oneTimeOpen ? this.config.generatedToken : null;
  }

  async authenticate(token: string): Promise<{ caller: Caller; credential: Credential } | null> {
    const presented = digest(token);
    // Compared in constant time, so a token cannot be guessed byte by byte.
    const configured = this.configTokens.find((t) => timingSafeEqual(t.digest, presented))?.token;
    if (configured) return fromConfig(configured);
    const generated = this.config.generatedToken;
    if (generated && this.oneTimeOpen && timingSafeEqual(digest(generated.token), presented)) {
      if (!(await this.anyUser())) return fromConfig(generated);
      this.oneTimeOpen = false;
      return null;
    }
    if (!token.startsWith(TOKEN_PREFIX)) return null;
    return this.fromDatabase(presented.toString('hex'));
  }

  async create(caller: Caller, input: NewApiToken): Promise<ApiTokenView & { token: string }> {
    if ((input.userId === undefined) === (input.grants === undefined)) {
      throw new FieldError(input.userId === undefined ? 'grants' : 'userId', ['give either userId (the token acts as that user) or grants (its own), not both']);
    }
    const now = this.clock.now();
    if (input.expiresAt && input.expiresAt <= now) throw new FieldError('expiresAt', ['a time in the future']);
    let user: AppUser | null = null;
    let grants: Grant[] | null = null;
    if (input.userId !== undefined) {
      user = await this.db.getRepository(AppUser).findOneBy({ id: input.userId });
      if (!user) throw new UserNotFoundError(input.userId);
      // One's own token, or, for an admin, a token acting as a user within its reach.
      if (user.id !== caller.id) {
        if (!hasRole(caller, ['admin'])) throw new GrantOutOfReachError({ role: 'admin', brandId: null });
        const out = grantOutOfReach(caller, (await this.users.grantsOf([user.id])).get(user.id) ?? [], USER_GRANTERS);
        if (out) throw new GrantOutOfReachError(out);
      }
    } else {
      grants = distinctGrants(input.grants!);
      if (!grants.length) throw new FieldError('grants', ['at least one grant']);
      const out = grantOutOfReach(caller, grants, TOKEN_GRANTERS);
      if (out) throw new GrantOutOfReachError(out);
      this.users.assertKnownBrands(grants);
    }
    const token = TOKEN_PREFIX + randomBytes(32).toString('base64url');
    try {
      const saved = await this.db.transaction(async (m) => {
        const row = await m.save(
          m.create(ApiToken, {
            name: input.name,
            tokenHash: sha256Hex(token),
            userId: user?.id ?? null,
            grants,
            createdById: caller.id,
            createdBy: caller.name,
            createdAt: now,
            lastUsedAt: null,
            expiresAt: input.expiresAt ?? null,
            revokedAt: null,
            revokedBy: null,
          }),
        );
        const reach = grants ?? (await this.users.grantsOf([user!.id], m)).get(user!.id) ?? [];
        await this.audit.record(m, {
          actor: caller,
          action: 'token.created',
          brandId: auditBrand(reach),
          subject: row.id,
          data: { name: row.name, userId: row.userId, userName: user?.name ?? null, grants, expiresAt: row.expiresAt },
        });
        return row;
      });
      return { ...view(saved, user?.name ?? null), token };
    } catch (error) {
      if (uniqueViolation(error) === 'uq_api_token_name') throw new TokenNameTakenError(input.name);
      throw error;
    }
  }

  // The tokens the caller made, and those whose every grant it could have handed out itself.
  async list(caller: Caller): Promise<ApiTokenView[]> {
    const rows = await this.db.getRepository(ApiToken).find({ relations: { user: true }, order: { createdAt: 'DESC', name: 'ASC' } });
    const userGrants = await this.users.grantsOf([...new Set(rows.flatMap((r) => (r.userId ? [r.userId] : [])))]);
    return rows.filter((r) => this.visible(caller, r, userGrants)).map((r) => view(r, r.user?.name ?? null));
  }

  // Revoking a revoked token changes nothing and records nothing.
  async revoke(caller: Caller, id: string): Promise<ApiTokenView> {
    return this.db.transaction(async (m) => {
      const row = await m.findOne(ApiToken, { where: { id }, lock: { mode: 'pessimistic_write' } });
      if (!row) throw new TokenNotFoundError(id);
      const userGrants = await this.users.grantsOf(row.userId ? [row.userId] : [], m);
      if (!this.visible(caller, row, userGrants)) throw new GrantOutOfReachError(grantOutOfReach(caller, effectiveGrants(row, userGrants), TOKEN_GRANTERS)!);
      const userName = row.userId ? ((await m.findOneBy(AppUser, { id: row.userId }))?.name ?? null) : null;
      if (row.revokedAt) return view(row, userName);
      row.revokedAt = this.clock.now();
      row.revokedBy = caller.name;
      await m.update(ApiToken, id, { revokedAt: row.revokedAt, revokedBy: row.revokedBy });
      await this.audit.record(m, { actor: caller, action: 'token.revoked', brandId: auditBrand(effectiveGrants(row, userGrants)), subject: id, data: { name: row.name } });
      return view(row, userName);
    });
  }

  private visible(caller: Caller, row: ApiToken, userGrants: Map<string, Grant[]>): boolean {
    return row.createdById === caller.id || grantOutOfReach(caller, effectiveGrants(row, userGrants), TOKEN_GRANTERS) === null;
  }

  private async fromDatabase(hash: string): Promise<{ caller: Caller; credential: Credential } | null> {
    const now = this.clock.now();
    const [row]: TokenRow[] = await this.db.query(
      `SELECT t.id, t.name, t.user_id, t.grants, t.expires_at, t.revoked_at, t.last_used_at, u.name AS user_name, u.active AS user_active,
              COALESCE((SELECT json_agg(json_build_object('role', g.role, 'brandId', g.brand_id)) FROM role_grant g WHERE g.user_id = t.user_id), '[]'::json) AS user_grants
         FROM api_token t LEFT JOIN app_user u ON u.id = t.user_id
        WHERE t.token_hash = $1`,
      [hash],
    );
    if (!row || row.revoked_at || (row.expires_at && new Date(row.expires_at) <= now)) return null;
    if (row.user_id && !row.user_active) return null;
    if (!row.last_used_at || now.getTime() - new Date(row.last_used_at).getTime() >= TOUCH_EVERY_MS) {
      await this.db.query(`UPDATE api_token SET last_used_at = $2 WHERE id = $1`, [row.id, now]);
    }
    const credential: Credential = { kind: 'token', tokenId: row.id, userId: row.user_id, expiresAt: row.expires_at && new Date(row.expires_at) };
    // A token acting as a user is that user, with the user's roles as they are now.
    if (row.user_id) return { caller: { id: row.user_id, name: row.user_name!, grants: row.user_grants }, credential };
    return { caller: { id: `api-token:${row.id}`, name: `token:${row.name}`, grants: row.grants ?? [] }, credential };
  }

  private async anyUser(): Promise<boolean> {
    const [{ any }]: { any: boolean }[] = await this.db.query(`SELECT EXISTS (SELECT 1 FROM app_user) AS any`);
    return any;
  }
}

// A token from the config file holds its role for every brand.
function fromConfig(token: ConfigToken): { caller: Caller; credential: Credential } {
  return { caller: { id: `token:${token.name}`, name: token.name, grants: [{ role: token.role, brandId: null }] }, credential: { kind: 'config', name: token.name } };
}

function effectiveGrants(row: ApiToken, userGrants: Map<string, Grant[]>): Grant[] {
  return row.grants ?? userGrants.get(row.userId!) ?? [];
}

function view(row: ApiToken, userName: string | null): ApiTokenView {
  return {
    id: row.id,
    name: row.name,
    userId: row.userId,
    userName,
    grants: row.grants,
    createdBy: row.createdBy,
    createdAt: row.createdAt,
    lastUsedAt: row.lastUsedAt,
    expiresAt: row.expiresAt,
    revokedAt: row.revokedAt,
    revokedBy: row.revokedBy,
  };
}
