import { Injectable, type OnApplicationBootstrap } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, type EntityManager, QueryFailedError } from 'typeorm';
import { AuditService } from '../audit/audit.service.js';
import { Clock } from '../common/clock.js';
import { AppConfig } from '../config/app-config.js';
import type { Role } from '../config/config.schema.js';
import {
  FieldError,
  GrantOutOfReachError,
  LastAdminError,
  SessionRequiredError,
  SignInThrottledError,
  UnknownBrandError,
  UserEmailTakenError,
  UserNameTakenError,
  UserNotFoundError,
  WeakPasswordError,
  WrongPasswordError,
} from './auth-errors.js';
import type { Caller, Grant } from './caller.js';
import type { Credential } from './credential.js';
import { auditBrand, distinctGrants, grantOutOfReach, isAdminOverEveryBrand, sameGrants, USER_GRANTERS } from './grant-rules.js';
import { hashPassword, passwordProblems, temporaryPassword, verifyPassword } from './password.js';
import { RoleGrant } from './role-grant.entity.js';
import { sha256Hex } from './session-cookie.js';
import { Session } from './session.entity.js';
import { SignInAttemptsService } from './sign-in-attempts.service.js';
import { AppUser } from './user.entity.js';

// A login name: lowercase letters, digits and . _ - (never ':', which marks a token's actor).
export const USER_NAME = /^[a-z0-9][a-z0-9._-]{0,62}$/;

export type Actor = Pick<Caller, 'id' | 'name'>;

export interface UserView {
  id: string;
  name: string;
  email: string;
  displayName: string;
  active: boolean;
  passwordChangeRequired: boolean;
  passwordChangedAt: Date;
  createdAt: Date;
  updatedAt: Date;
  grants: Grant[];
}

export interface NewUser {
  name: string;
  email: string;
  displayName: string;
  grants: Grant[];
  // Chosen by the person themselves (the command line's --password-stdin), else temporary.
  password?: string;
}

export interface UserChange {
  displayName?: string;
  active?: boolean;
  grants?: Grant[];
}

const sameGrant = (a: Grant) => (b: Grant) => a.role === b.role && a.brandId === b.brandId;

// People, their roles per brand and their passwords. Admins manage the people within their reach:
// those whose every grant they could have handed out themselves.
@Injectable()
export class UsersService implements OnApplicationBootstrap {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly clock: Clock,
    private readonly config: AppConfig,
    private readonly audit: AuditService,
    private readonly attempts: SignInAttemptsService,
  ) {}

  // A config token and a user sharing a name would share the actor on claims and replies.
  async onApplicationBootstrap(): Promise<void> {
    const names = this.config.apiTokens.map((t) => t.name.toLowerCase());
    if (!names.length) return;
    const clashes: { name: string }[] = await this.db.query(`SELECT name FROM app_user WHERE name = ANY($1)`, [names]);
    if (clashes.length) {
      throw new Error(`access[].name ${clashes.map((c) => c.name).join(', ')} is also a user's name: rename the token, as both would act under one name`);
    }
  }

  // Through the API: a temporary password, generated unless the admin gives one, changed at first sign-in.
  async create(caller: Caller, input: NewUser): Promise<{ user: UserView; temporaryPassword: string | null }> {
    this.assertReach(caller, input.grants);
    const generated = input.password === undefined ? temporaryPassword() : null;
    const password = input.password ?? generated!;
    return { user: await this.insert(caller, { ...input, password }, true), temporaryPassword: generated };
  }

  // From the command line (`paradox user:create`): a password read from stdin is the person's own.
  async createFromCommandLine(input: NewUser): Promise<{ user: UserView; temporaryPassword: string | null }> {
    const generated = input.password === undefined ? temporaryPassword() : null;
    const user = await this.insert({ id: 'cli', name: 'cli' }, { ...input, password: input.password ?? generated! }, generated !== null);
    return { user, temporaryPassword: generated };
  }

  async list(caller: Caller): Promise<UserView[]> {
    const users = await this.db.getRepository(AppUser).find({ order: { name: 'ASC' } });
    const grants = await this.grantsOf(users.map((u) => u.id));
    return users.map((u) => view(u, grants.get(u.id) ?? [])).filter((u) => grantOutOfReach(caller, u.grants, USER_GRANTERS) === null);
  }

  async get(caller: Caller, id: string): Promise<UserView> {
    const user = await this.db.getRepository(AppUser).findOneBy({ id });
    if (!user) throw new UserNotFoundError(id);
    const grants = (await this.grantsOf([id])).get(id) ?? [];
    this.assertReach(caller, grants);
    return view(user, grants);
  }

  async findByLogin(field: 'email' | 'name', login: string): Promise<AppUser | null> {
    return this.db.getRepository(AppUser).findOneBy(field === 'email' ? { email: login.trim().toLowerCase() } : { name: login.trim().toLowerCase() });
  }

  // The active people holding one of the roles for the brand (or for every brand): the managers
  // to notify of an escalation, the colleagues a case may be transferred to.
  async withRole(roles: readonly Role[], brandId: string, m: EntityManager = this.db.manager): Promise<Pick<UserView, 'id' | 'name' | 'displayName' | 'email'>[]> {
    return m.query(
      `SELECT DISTINCT u.id, u.name, u.display_name AS "displayName", u.email FROM app_user u JOIN role_grant g ON g.user_id = u.id
        WHERE u.active AND g.role = ANY($1) AND (g.brand_id = $2 OR g.brand_id IS NULL) ORDER BY u.name`,
      [roles, brandId],
    );
  }

  async viewOf(id: string): Promise<UserView | null> {
    const user = await this.db.getRepository(AppUser).findOneBy({ id });
    return user && view(user, (await this.grantsOf([id])).get(id) ?? []);
  }

  async update(caller: Caller, id: string, change: UserChange): Promise<UserView> {
    return this.db.transaction(async (m) => {
      // One change of admins at a time, so two admins demoting each other cannot leave none.
      await m.query(`SELECT pg_advisory_xact_lock(hashtext('paradox.app_user.admins'))`);
      const user = await m.findOne(AppUser, { where: { id }, lock: { mode: 'pessimistic_write' } });
      if (!user) throw new UserNotFoundError(id);
      const before = (await this.grantsOf([id], m)).get(id) ?? [];
      this.assertReach(caller, before);
      const after = change.grants ? distinctGrants(change.grants) : before;
      const added = after.filter((g) => !before.some(sameGrant(g)));
      const removed = before.filter((g) => !after.some(sameGrant(g)));
      this.assertKnownBrands(added);
      this.assertReach(caller, added);
      const active = change.active ?? user.active;
      if (user.active && isAdminOverEveryBrand(before) && !(active && isAdminOverEveryBrand(after))) await this.assertAnotherAdmin(id, m);

      const now = this.clock.now();
      const entry = (action: string, data: Record<string, unknown>, grants = after) =>
        this.audit.record(m, { actor: caller, action, brandId: auditBrand(grants), subject: id, data: { name: user.name, ...data } });
      let changed = false;
      if (change.displayName !== undefined && change.displayName !== user.displayName) {
        await entry('user.updated', { displayName: { from: user.displayName, to: change.displayName } });
        user.displayName = change.displayName;
        changed = true;
      }
      if (!sameGrants(before, after)) {
        for (const g of removed) await m.query(`DELETE FROM role_grant WHERE user_id = $1 AND role = $2 AND brand_id IS NOT DISTINCT FROM $3`, [id, g.role, g.brandId]);
        if (added.length) await m.insert(RoleGrant, added.map((g) => ({ userId: id, role: g.role, brandId: g.brandId, grantedBy: caller.name, grantedAt: now })));
        await entry('user.roles_changed', { before, after }, [...before, ...after]);
        changed = true;
      }
      if (active !== user.active) {
        // A deactivated user's sessions end now; its tokens stop at their next use.
        if (!active) await m.delete(Session, { userId: id });
        await entry(active ? 'user.reactivated' : 'user.deactivated', {});
        user.active = active;
        changed = true;
      }
      if (changed) {
        user.updatedAt = now;
        await m.save(user);
      }
      return view(user, after);
    });
  }

  // A new temporary password, shown once to the admin; the user's sessions end.
  async resetPassword(caller: Caller, id: string): Promise<{ temporaryPassword: string }> {
    const password = temporaryPassword();
    const hash = await hashPassword(password);
    await this.db.transaction(async (m) => {
      const user = await m.findOne(AppUser, { where: { id }, lock: { mode: 'pessimistic_write' } });
      if (!user) throw new UserNotFoundError(id);
      const grants = (await this.grantsOf([id], m)).get(id) ?? [];
      this.assertReach(caller, grants);
      const now = this.clock.now();
      await m.update(AppUser, id, { passwordHash: hash, passwordChangeRequired: true, passwordChangedAt: now, updatedAt: now });
      const ended = (await m.delete(Session, { userId: id })).affected ?? 0;
      await this.audit.record(m, { actor: caller, action: 'user.password_reset', brandId: auditBrand(grants), subject: id, data: { name: user.name, sessionsEnded: ended } });
    });
    return { temporaryPassword: password };
  }

  // A signed-in person changes their own password with the current one; their other sessions end.
  async changeOwnPassword(caller: Caller, credential: Credential, input: { currentPassword: string; newPassword: string }, ip: string): Promise<void> {
    if (credential.kind !== 'session') throw new SessionRequiredError();
    const user = await this.db.getRepository(AppUser).findOneByOrFail({ id: credential.userId });
    const problems = passwordProblems(input.newPassword, user);
    if (problems.length) throw new WeakPasswordError('newPassword', problems);
    // Guessing the current password from a stolen session is throttled like signing in.
    const attempt = await this.attempts.begin(user.id, ip);
    if (attempt.verdict.throttled) throw new SignInThrottledError(attempt.verdict.retryAfterSeconds);
    if (!(await verifyPassword(user.passwordHash, input.currentPassword))) {
      await this.attempts.finish(attempt.id, 'failed');
      throw new WrongPasswordError();
    }
    await this.attempts.finish(attempt.id, 'succeeded');
    if (input.newPassword === input.currentPassword) throw new WeakPasswordError('newPassword', ['not your current password']);
    const hash = await hashPassword(input.newPassword);
    await this.db.transaction(async (m) => {
      const now = this.clock.now();
      await m.update(AppUser, user.id, { passwordHash: hash, passwordChangeRequired: false, passwordChangedAt: now, updatedAt: now });
      const ended = await m
        .createQueryBuilder()
        .delete()
        .from(Session)
        .where('userId = :userId AND idHash <> :current', { userId: user.id, current: sha256Hex(credential.sessionId) })
        .execute();
      const grants = (await this.grantsOf([user.id], m)).get(user.id) ?? [];
      await this.audit.record(m, { actor: caller, action: 'user.password_changed', brandId: auditBrand(grants), subject: user.id, data: { name: user.name, sessionsEnded: ended.affected ?? 0 } });
    });
  }

  async grantsOf(userIds: string[], m: EntityManager = this.db.manager): Promise<Map<string, Grant[]>> {
    const grants = new Map<string, Grant[]>(userIds.map((id) => [id, []]));
    if (!userIds.length) return grants;
    const rows: { user_id: string; role: Grant['role']; brand_id: string | null }[] = await m.query(
      `SELECT user_id, role, brand_id FROM role_grant WHERE user_id = ANY($1)`,
      [userIds],
    );
    for (const r of rows) grants.get(r.user_id)!.push({ role: r.role, brandId: r.brand_id });
    for (const [id, list] of grants) grants.set(id, distinctGrants(list));
    return grants;
  }

  private async insert(actor: Actor, input: Required<NewUser>, passwordChangeRequired: boolean): Promise<UserView> {
    const name = input.name.trim().toLowerCase();
    const email = input.email.trim().toLowerCase();
    if (!USER_NAME.test(name)) throw new FieldError('name', ['lowercase letters, digits and . _ - (at most 63)']);
    if (this.config.apiTokens.some((t) => t.name.toLowerCase() === name)) throw new UserNameTakenError(name);
    const grants = distinctGrants(input.grants);
    this.assertKnownBrands(grants);
    const problems = passwordProblems(input.password, { name, email });
    if (problems.length) throw new WeakPasswordError('password', problems);
    const passwordHash = await hashPassword(input.password);
    const now = this.clock.now();
    try {
      return await this.db.transaction(async (m) => {
        const user = await m.save(
          m.create(AppUser, { name, email, displayName: input.displayName.trim(), passwordHash, passwordChangeRequired, passwordChangedAt: now, active: true, createdAt: now, updatedAt: now }),
        );
        if (grants.length) await m.insert(RoleGrant, grants.map((g) => ({ userId: user.id, role: g.role, brandId: g.brandId, grantedBy: actor.name, grantedAt: now })));
        await this.audit.record(m, { actor, action: 'user.created', brandId: auditBrand(grants), subject: user.id, data: { name, email, displayName: user.displayName, grants } });
        return view(user, grants);
      });
    } catch (error) {
      const constraint = uniqueViolation(error);
      if (constraint === 'uq_app_user_name') throw new UserNameTakenError(name);
      if (constraint === 'uq_app_user_email') throw new UserEmailTakenError();
      throw error;
    }
  }

  private assertReach(caller: Caller, grants: readonly Grant[]): void {
    const out = grantOutOfReach(caller, grants, USER_GRANTERS);
    if (out) throw new GrantOutOfReachError(out);
  }

  assertKnownBrands(grants: readonly Grant[]): void {
    const unknown = grants.find((g) => g.brandId !== null && !this.config.brands.some((b) => b.id === g.brandId));
    if (unknown) throw new UnknownBrandError(unknown.brandId!);
  }

  // Another active admin over every brand, or an admin token in the config, keeps Paradox managed.
  private async assertAnotherAdmin(userId: string, m: EntityManager): Promise<void> {
    if (this.config.apiTokens.some((t) => t.role === 'admin')) return;
    const [{ count }]: { count: number }[] = await m.query(
      `SELECT count(*)::int AS count FROM app_user u JOIN role_grant g ON g.user_id = u.id
        WHERE u.active AND u.id <> $1 AND g.role = 'admin' AND g.brand_id IS NULL`,
      [userId],
    );
    if (count === 0) throw new LastAdminError();
  }
}

function view(user: AppUser, grants: Grant[]): UserView {
  return {
    id: user.id,
    name: user.name,
    email: user.email,
    displayName: user.displayName,
    active: user.active,
    passwordChangeRequired: user.passwordChangeRequired,
    passwordChangedAt: user.passwordChangedAt,
    createdAt: user.createdAt,
    updatedAt: user.updatedAt,
    grants,
  };
}

// The name of the unique index a write ran into, if that is why it failed.
export function uniqueViolation(error: unknown): string | null {
  if (!(error instanceof QueryFailedError)) return null;
  const driver = error.driverError as { code?: string; constraint?: string };
  return driver.code === '23505' ? (driver.constraint ?? null) : null;
}
