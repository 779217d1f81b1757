import { afterAll, beforeAll, beforeEach, describe, expect, it } from '@jest/globals';
import { createHash } from 'node:crypto';
import { Readable } from 'node:stream';
import { DataSource } from 'typeorm';
import { UsersService } from '../../src/auth/users.service.js';
import { userCreate } from '../../src/cli/user-create.js';
import { PROJECT_ROOT } from '../support/paths.js';
import { TestClock } from '../support/test-clock.js';
import { startTestApp, type TestApp, TOKENS } from '../support/test-app.js';
import { addUser, bearer, PASSWORD, signIn } from '../support/test-users.js';

const MINUTE = 60_000;
const ROOT_PASSWORD = 'first admin passphrase';
const file = {
  brands: [
    { id: 'acme', name: 'Acme' },
    { id: 'globex', name: 'Globex' },
  ],
  server: { trustProxyHops: 1 },
  worker: { schedule: false },
};

// Every secret a test handled, looked for afterwards where none may be.
const secrets = new Set<string>([ROOT_PASSWORD, PASSWORD]);

// `paradox user:create` as the command line runs it, against the test's database and config.
async function cli(t: TestApp, args: string[], stdin = '') {
  let stdout = '';
  let stderr = '';
  const code = await userCreate(args, {
    env: t.env,
    cwd: PROJECT_ROOT,
    stdin: Readable.from([stdin]),
    stdout: { write: (s: string) => (stdout += s) },
    stderr: { write: (s: string) => (stderr += s) },
  });
  return { code, stdout, stderr };
}

describe('people, sessions and tokens', () => {
  let t: TestApp;
  let clock: TestClock;
  let db: DataSource;
  // A fresh address per test, so one test's failures never throttle another's.
  let address = 0;
  const from = () => ({ 'X-Forwarded-For': `203.0.113.${++address}` });

  beforeAll(async () => {
    clock = new TestClock(new Date('2026-11-02T09:00:00Z'));
    t = await startTestApp(file, { clock });
    db = t.app.get(DataSource);
  });

  afterAll(async () => {
    await t?.close();
  });

  describe('the first admin', () => {
    it('is created from the command line with the password read from stdin, and signs in', async () => {
      const run = await cli(t, ['--admin', '--name', 'root', '--email', 'Root@Example.test', '--display-name', 'Root Admin', '--password-stdin'], `${ROOT_PASSWORD}\n`);
      expect(run).toMatchObject({ code: 0, stderr: '' });
      expect(run.stdout).toMatch(/^Created user root \([0-9a-f-]{36}\): admin for every brand\.\n$/);
      const root = await signIn(t, { email: 'root@example.test' }, ROOT_PASSWORD);
      expect(root.response.data.user).toMatchObject({ name: 'root', email: 'root@example.test', displayName: 'Root Admin', passwordChangeRequired: false, grants: [{ role: 'admin', brandId: null }] });
      const [entry] = await db.query(`SELECT actor, action, data FROM audit_entry WHERE action = 'user.created' AND data->>'name' = 'root'`);
      expect(entry).toMatchObject({ actor: 'cli', data: { email: 'root@example.test', grants: [{ role: 'admin', brandId: null }] } });
    });

    it('gets a generated password printed once, which must be changed before anything else', async () => {
      const run = await cli(t, ['--role', 'agent', '--brand', 'acme', '--brand', 'globex', '--name', 'temp', '--email', 'temp@example.test']);
      expect(run.code).toBe(0);
      expect(run.stdout).toContain('agent for acme, agent for globex');
      const password = /shown once[^:]*: (\S+)\n/.exec(run.stdout)![1];
      secrets.add(password);
      const temp = await signIn(t, { name: 'temp' }, password);
      expect(temp.response.data.user.passwordChangeRequired).toBe(true);
      expect((await temp.client.get('/cases')).data.code).toBe('AUTH.PASSWORD_CHANGE_REQUIRED');
      expect((await temp.client.get('/auth/me')).status).toBe(200);
      expect((await temp.client.post('/auth/password', { currentPassword: password, newPassword: 'my own passphrase' })).status).toBe(204);
      expect((await temp.client.get('/cases')).status).toBe(200);
    });

    it('is never made with a weak password, a name taken or a wrong role', async () => {
      expect(await cli(t, ['--admin', '--name', 'root2', '--email', 'root2@example.test', '--password-stdin'], 'short\n')).toMatchObject({ code: 1, stderr: expect.stringContaining('password: at least 12 characters') });
      expect(await cli(t, ['--admin', '--name', 'root', '--email', 'other@example.test', '--password-stdin'], `${ROOT_PASSWORD}\n`)).toMatchObject({ code: 1, stderr: expect.stringContaining('USER.NAME_TAKEN') });
      expect(await cli(t, ['--admin', '--name', 'root3', '--email', 'ROOT@example.test', '--password-stdin'], `${ROOT_PASSWORD}\n`)).toMatchObject({ code: 1, stderr: expect.stringContaining('USER.EMAIL_TAKEN') });
      expect((await cli(t, ['--role', 'owner', '--name', 'x1', '--email', 'x1@example.test'])).code).toBe(2);
      expect((await cli(t, ['--name', 'x2', '--email', 'x2@example.test'])).code).toBe(2);
      expect((await cli(t, ['--role', 'agent', '--brand', 'initech', '--name', 'x3', '--email', 'x3@example.test'])).stderr).toContain('no brand initech');
      const [{ count }] = await db.query(`SELECT count(*)::int AS count FROM app_user WHERE name IN ('root2', 'root3', 'x1', 'x2', 'x3')`);
      expect(count).toBe(0);
    });
  });

  describe('signing in', () => {
    beforeAll(async () => {
      await addUser(t, 'ann', [{ role: 'agent', brandId: 'acme' }]);
    });

    it('sets an HTTP-only, SameSite=Lax session cookie and a readable CSRF cookie, by email in any case or by name', async () => {
      const byEmail = await t.anonymous.post('/auth/sign-in', { email: 'ANN@Example.TEST', password: PASSWORD });
      expect(byEmail.status).toBe(200);
      const [session, csrf] = byEmail.headers['set-cookie']!;
      expect(session).toMatch(/^paradox_session=[\w-]{43}; Max-Age=43200; Path=\/; Expires=[^;]+; HttpOnly; SameSite=Lax$/);
      expect(csrf).toBe(`paradox_csrf=${byEmail.data.csrfToken}; Max-Age=43200; Path=/; Expires=${/Expires=([^;]+)/.exec(csrf)![1]}; SameSite=Lax`);
      expect(byEmail.data).toMatchObject({ user: { name: 'ann', grants: [{ role: 'agent', brandId: 'acme' }] }, expiresAt: '2026-11-02T21:00:00.000Z' });
      expect(byEmail.data.user.passwordHash).toBeUndefined();

      const byName = await signIn(t, { name: 'Ann' });
      const me = await byName.client.get('/auth/me');
      expect(me.data).toMatchObject({ kind: 'session', name: 'ann', grants: [{ role: 'agent', brandId: 'acme' }], csrfToken: byName.csrfToken, user: { email: 'ann@example.test' } });
      // A session's id is stored only as its hash.
      const id = /paradox_session=([^;]+)/.exec(byName.cookie)![1];
      const stored = await db.query(`SELECT id_hash FROM session WHERE id_hash = $1 OR id_hash = $2`, [id, createHash('sha256').update(id).digest('hex')]);
      expect(stored).toEqual([{ id_hash: createHash('sha256').update(id).digest('hex') }]);
    });

    it('marks the cookies Secure when the request came over https through a trusted proxy', async () => {
      const response = await t.anonymous.post('/auth/sign-in', { name: 'ann', password: PASSWORD }, { headers: { 'X-Forwarded-Proto': 'https' } });
      expect(response.headers['set-cookie']!.every((c) => c.includes('; Secure'))).toBe(true);
    });

    it('answers a wrong password, an unknown user and bad input without telling which', async () => {
      const wrong = await t.anonymous.post('/auth/sign-in', { name: 'ann', password: 'not the password' }, { headers: from() });
      const unknown = await t.anonymous.post('/auth/sign-in', { name: 'nobody', password: PASSWORD }, { headers: from() });
      expect([wrong.status, unknown.status]).toEqual([401, 401]);
      expect(unknown.data).toEqual(wrong.data);
      expect(wrong.headers['set-cookie']).toBeUndefined();
      const missing = await t.anonymous.post('/auth/sign-in', { password: PASSWORD });
      expect(missing.status).toBe(400);
      expect(missing.data.fields.map((f: { field: string }) => f.field).sort()).toEqual(['email', 'name']);
      const both = await t.anonymous.post('/auth/sign-in', { name: 'ann', email: { $ne: '' }, password: PASSWORD });
      expect({ status: both.status, fields: both.data.fields.map((f: { field: string }) => f.field) }).toEqual({ status: 400, fields: ['email'] });
      const twice = await t.anonymous.post('/auth/sign-in', { name: 'ann', email: 'ann@example.test', password: PASSWORD });
      expect({ status: twice.status, field: twice.data.fields[0].field }).toEqual({ status: 400, field: 'name' });
      // What was typed as an unknown name is kept only as a hash: it may be someone's password.
      const typed = await db.query(`SELECT 1 FROM sign_in_attempt WHERE account LIKE '%nobody%'`);
      expect(typed).toEqual([]);
    });

    it('refuses credentials posted as a form, which a page on another site could send', async () => {
      const form = await t.anonymous.post('/auth/sign-in', `name=ann&password=${encodeURIComponent(PASSWORD)}`, { headers: { 'Content-Type': 'application/x-www-form-urlencoded' } });
      expect(form.status).toBe(415);
      expect(form.data.code).toBe('AUTH.CONTENT_TYPE');
      expect(form.headers['set-cookie']).toBeUndefined();
    });

    it('ends a session at sign-out: the cookie no longer signs anyone in', async () => {
      const ann = await signIn(t, { name: 'ann' });
      const out = await ann.client.post('/auth/sign-out');
      expect(out.status).toBe(204);
      expect(out.headers['set-cookie']!.join()).toMatch(/paradox_session=;.*Expires=Thu, 01 Jan 1970/);
      const after = await ann.client.get('/auth/me');
      expect(after.status).toBe(401);
      expect(after.data.code).toBe('AUTH.REQUIRED');
    });

    it('ends a session an hour after its last request, and twelve hours after sign-in however busy', async () => {
      const idle = await signIn(t, { name: 'ann' });
      clock.advance(59 * MINUTE);
      expect((await idle.client.get('/auth/me')).status).toBe(200);
      clock.advance(59 * MINUTE);
      expect((await idle.client.get('/auth/me')).status).toBe(200);
      clock.advance(61 * MINUTE);
      expect((await idle.client.get('/auth/me')).status).toBe(401);

      const busy = await signIn(t, { name: 'ann' });
      for (let minutes = 0; minutes < 12 * 60 - 30; minutes += 30) {
        clock.advance(30 * MINUTE);
        expect((await busy.client.get('/auth/me')).status).toBe(200);
      }
      clock.advance(30 * MINUTE);
      expect((await busy.client.get('/auth/me')).status).toBe(401);
    });
  });

  describe('CSRF', () => {
    let root: Awaited<ReturnType<typeof signIn>>;
    beforeAll(async () => {
      root = await signIn(t, { name: 'root' }, ROOT_PASSWORD);
    });

    it('refuses a cookie request that changes something without the session’s token', async () => {
      const body = { name: 'csrf-1', grants: [{ role: 'agent', brandId: 'acme' }] };
      const none = await root.withoutCsrf.post('/api-tokens', body);
      expect({ status: none.status, code: none.data.code }).toEqual({ status: 403, code: 'AUTH.CSRF' });
      const other = await signIn(t, { name: 'ann' });
      const foreign = await root.withoutCsrf.post('/api-tokens', body, { headers: { 'X-CSRF-Token': other.csrfToken } });
      expect({ status: foreign.status, code: foreign.data.code }).toEqual({ status: 403, code: 'AUTH.CSRF' });
      expect((await db.query(`SELECT 1 FROM api_token WHERE name = 'csrf-1'`)).length).toBe(0);
    });

    it('accepts the token from the readable cookie sent back in X-CSRF-Token, and asks none for reading', async () => {
      expect((await root.withoutCsrf.get('/api-tokens')).status).toBe(200);
      const fromCookie = /paradox_csrf=([^;]+)/.exec(root.cookie)![1];
      const made = await root.withoutCsrf.post('/api-tokens', { name: 'csrf-2', grants: [{ role: 'agent', brandId: 'acme' }] }, { headers: { 'X-CSRF-Token': fromCookie } });
      expect(made.status).toBe(201);
      secrets.add(made.data.token);
    });

    it('asks a bearer token for none', async () => {
      const response = await t.as('manager').post('/api-tokens', { name: 'csrf-3', grants: [{ role: 'agent', brandId: 'acme' }] });
      expect(response.status).toBe(201);
      secrets.add(response.data.token);
    });
  });

  describe('throttling sign-in', () => {
    const attempt = (login: Record<string, string>, password: string, headers: Record<string, string>) => t.anonymous.post('/auth/sign-in', { ...login, password }, { headers });

    beforeAll(async () => {
      await addUser(t, 'bea', [{ role: 'agent', brandId: 'acme' }]);
      await addUser(t, 'cas', [{ role: 'agent', brandId: 'acme' }]);
    });

    it('holds an account after five failures in 15 minutes, with Retry-After, even for the right password; then lets it in', async () => {
      const headers = from();
      for (let i = 0; i < 5; i++) {
        expect((await attempt({ name: 'bea' }, `guess number ${i}`, headers)).status).toBe(401);
        clock.advance(MINUTE);
      }
      const held = await attempt({ email: 'bea@example.test' }, PASSWORD, from());
      expect({ status: held.status, code: held.data.code, retryAfter: held.headers['retry-after'] }).toEqual({ status: 429, code: 'AUTH.THROTTLED', retryAfter: String(10 * 60) });
      clock.advance(10 * MINUTE - 1000);
      expect((await attempt({ name: 'bea' }, PASSWORD, from())).status).toBe(429);
      clock.advance(1000);
      expect((await attempt({ name: 'bea' }, PASSWORD, from())).status).toBe(200);
    });

    it('holds an unknown account exactly like a known one', async () => {
      const answers = [];
      for (const login of [{ name: 'cas' }, { name: 'nobody-here' }]) {
        for (let i = 0; i < 5; i++) await attempt(login, `guess number ${i}`, from());
        const held = await attempt(login, PASSWORD, from());
        answers.push({ status: held.status, body: held.data, retryAfter: held.headers['retry-after'] });
      }
      expect(answers[0]).toMatchObject({ status: 429, retryAfter: String(15 * 60) });
      expect(answers[1]).toEqual(answers[0]);
      clock.advance(15 * MINUTE);
    });

    it('forgets an account’s failures once it signs in', async () => {
      for (let i = 0; i < 4; i++) await attempt({ name: 'cas' }, `guess number ${i}`, from());
      expect((await attempt({ name: 'cas' }, PASSWORD, from())).status).toBe(200);
      for (let i = 0; i < 4; i++) await attempt({ name: 'cas' }, `guess number ${i}`, from());
      expect((await attempt({ name: 'cas' }, PASSWORD, from())).status).toBe(200);
    });

    it('holds an address after twenty failures across accounts; another address goes on', async () => {
      const headers = from();
      for (let i = 0; i < 20; i++) expect((await attempt({ name: `someone-${i}` }, 'a wrong password', headers)).status).toBe(401);
      const held = await attempt({ name: 'cas' }, PASSWORD, headers);
      expect({ status: held.status, retryAfter: held.headers['retry-after'] }).toEqual({ status: 429, retryAfter: String(15 * 60) });
      expect((await attempt({ name: 'cas' }, PASSWORD, from())).status).toBe(200);
      clock.advance(15 * MINUTE);
      expect((await attempt({ name: 'cas' }, PASSWORD, headers)).status).toBe(200);
    });

    it('lets at most five of ten attempts sent at once try a password', async () => {
      await addUser(t, 'dee', [{ role: 'agent', brandId: 'acme' }]);
      const answers = await Promise.all(Array.from({ length: 10 }, (_, i) => attempt({ name: 'dee' }, `guess number ${i}`, from())));
      const statuses = answers.map((a) => a.status);
      expect(statuses.filter((s) => s === 401).length).toBeLessThanOrEqual(5);
      expect(statuses.filter((s) => s === 429).length).toBeGreaterThanOrEqual(5);
      expect(statuses.filter((s) => s !== 401 && s !== 429)).toEqual([]);
      clock.advance(15 * MINUTE);
    });
  });

  describe('API tokens', () => {
    let root: Awaited<ReturnType<typeof signIn>>;
    let mia: Awaited<ReturnType<typeof signIn>>;
    let ennId: string;

    beforeAll(async () => {
      await addUser(t, 'mia', [{ role: 'manager', brandId: 'acme' }]);
      ennId = (await addUser(t, 'enn', [{ role: 'agent', brandId: 'acme' }])).id;
    });

    // Fresh sessions: a test that moves the clock an hour ends the ones before it.
    beforeEach(async () => {
      root = await signIn(t, { name: 'root' }, ROOT_PASSWORD);
      mia = await signIn(t, { name: 'mia' });
    });

    it('shows a token once, stores only its hash, and lets it act with its own roles until revoked', async () => {
      const made = await root.client.post('/api-tokens', { name: 'helpdesk', grants: [{ role: 'agent', brandId: 'acme' }] });
      expect(made.status).toBe(201);
      const { token, id } = made.data;
      secrets.add(token);
      expect(token).toMatch(/^pdx_[\w-]{43}$/);
      const [row] = await db.query(`SELECT token_hash FROM api_token WHERE id = $1`, [id]);
      expect(row.token_hash).toBe(createHash('sha256').update(token).digest('hex'));
      const listed = (await root.client.get('/api-tokens')).data.find((x: { id: string }) => x.id === id);
      expect(listed).toMatchObject({ name: 'helpdesk', grants: [{ role: 'agent', brandId: 'acme' }], createdBy: 'root', lastUsedAt: null, revokedAt: null });
      expect(JSON.stringify(listed)).not.toContain(token);
      expect(listed.tokenHash).toBeUndefined();

      const helpdesk = bearer(t, token);
      expect((await helpdesk.get('/auth/me')).data).toMatchObject({ kind: 'token', name: 'token:helpdesk', grants: [{ role: 'agent', brandId: 'acme' }], csrfToken: null });
      expect((await helpdesk.get('/cases')).status).toBe(200);
      expect((await helpdesk.get('/users')).status).toBe(403);
      expect((await root.client.get('/api-tokens')).data.find((x: { id: string }) => x.id === id).lastUsedAt).toBe(clock.now().toISOString());

      const revoked = await root.client.delete(`/api-tokens/${id}`);
      expect(revoked.data).toMatchObject({ revokedAt: clock.now().toISOString(), revokedBy: 'root' });
      expect((await helpdesk.get('/cases')).status).toBe(401);
      clock.advance(MINUTE);
      expect((await root.client.delete(`/api-tokens/${id}`)).data.revokedAt).toBe(revoked.data.revokedAt);
      const [{ count }] = await db.query(`SELECT count(*)::int AS count FROM audit_entry WHERE action = 'token.revoked' AND subject = $1`, [id]);
      expect(count).toBe(1);
    });

    it('stops a token at its expiry', async () => {
      const made = await root.client.post('/api-tokens', { name: 'short-lived', grants: [{ role: 'approver', brandId: null }], expiresAt: new Date(clock.now().getTime() + 60 * MINUTE).toISOString() });
      secrets.add(made.data.token);
      const past = await root.client.post('/api-tokens', { name: 'already-gone', grants: [{ role: 'agent', brandId: 'acme' }], expiresAt: '2020-01-01T00:00:00Z' });
      expect({ status: past.status, field: past.data.fields[0].field }).toEqual({ status: 400, field: 'expiresAt' });
      expect((await bearer(t, made.data.token).get('/cases')).status).toBe(200);
      clock.advance(60 * MINUTE);
      expect((await bearer(t, made.data.token).get('/cases')).status).toBe(401);
    });

    it('acts as a user with the user’s roles as they change, and stops with the user', async () => {
      const made = await root.client.post('/api-tokens', { name: 'enn-sync', userId: ennId });
      secrets.add(made.data.token);
      const enn = bearer(t, made.data.token);
      expect((await enn.get('/auth/me')).data).toMatchObject({ kind: 'token', id: ennId, name: 'enn', grants: [{ role: 'agent', brandId: 'acme' }] });
      await root.client.patch(`/users/${ennId}`, { grants: [{ role: 'approver', brandId: 'acme' }] });
      expect((await enn.get('/auth/me')).data.grants).toEqual([{ role: 'approver', brandId: 'acme' }]);
      await root.client.patch(`/users/${ennId}`, { active: false });
      expect((await enn.get('/auth/me')).status).toBe(401);
      await root.client.patch(`/users/${ennId}`, { active: true, grants: [{ role: 'agent', brandId: 'acme' }] });
      expect((await enn.get('/auth/me')).status).toBe(200);
    });

    it('lets a manager make tokens only below admin and only for its own brands, and shows it only those', async () => {
      const own = await mia.client.post('/api-tokens', { name: 'mia-bot', grants: [{ role: 'agent', brandId: 'acme' }] });
      expect(own.status).toBe(201);
      secrets.add(own.data.token);
      for (const grants of [[{ role: 'agent', brandId: 'globex' }], [{ role: 'admin', brandId: 'acme' }], [{ role: 'agent', brandId: null }]]) {
        const refused = await mia.client.post('/api-tokens', { name: 'mia-too-far', grants });
        expect({ grants, status: refused.status, code: refused.data.code }).toEqual({ grants, status: 403, code: 'AUTH.BRAND' });
      }
      expect((await mia.client.post('/api-tokens', { name: 'as-enn', userId: ennId })).status).toBe(403);
      const globex = await root.client.post('/api-tokens', { name: 'globex-bot', grants: [{ role: 'agent', brandId: 'globex' }] });
      secrets.add(globex.data.token);
      const seen = (await mia.client.get('/api-tokens')).data.map((x: { name: string }) => x.name);
      expect(seen).toContain('mia-bot');
      expect(seen).not.toContain('globex-bot');
      expect((await mia.client.delete(`/api-tokens/${globex.data.id}`)).status).toBe(403);
      expect((await mia.client.delete('/api-tokens/00000000-0000-4000-8000-000000000000')).status).toBe(404);
    });

    it('refuses a second token of the same name, and a token both acting as a user and holding grants', async () => {
      const twice = await root.client.post('/api-tokens', { name: 'mia-bot', grants: [{ role: 'agent', brandId: 'acme' }] });
      expect({ status: twice.status, code: twice.data.code }).toEqual({ status: 409, code: 'TOKEN.NAME_TAKEN' });
      const both = await root.client.post('/api-tokens', { name: 'both', userId: ennId, grants: [{ role: 'agent', brandId: 'acme' }] });
      expect(both.status).toBe(400);
      const neither = await root.client.post('/api-tokens', { name: 'neither' });
      expect(neither.data.fields[0].field).toBe('grants');
    });
  });

  describe('managing users', () => {
    let root: Awaited<ReturnType<typeof signIn>>;
    let ada: Awaited<ReturnType<typeof signIn>>;

    beforeAll(async () => {
      root = await signIn(t, { name: 'root' }, ROOT_PASSWORD);
      await addUser(t, 'ada', [{ role: 'admin', brandId: 'acme' }]);
      ada = await signIn(t, { name: 'ada' });
    });

    it('creates a user with a temporary password shown once', async () => {
      const made = await root.client.post('/users', { name: 'finn', email: 'Finn@Example.test', displayName: 'Finn', grants: [{ role: 'agent', brandId: 'acme' }, { role: 'agent', brandId: 'acme' }] });
      expect(made.status).toBe(201);
      secrets.add(made.data.temporaryPassword);
      expect(made.data.user).toMatchObject({ name: 'finn', email: 'finn@example.test', passwordChangeRequired: true, active: true, grants: [{ role: 'agent', brandId: 'acme' }] });
      expect((await root.client.get(`/users/${made.data.user.id}`)).data.passwordHash).toBeUndefined();
      const finn = await signIn(t, { name: 'finn' }, made.data.temporaryPassword);
      expect((await finn.client.get('/cases')).data.code).toBe('AUTH.PASSWORD_CHANGE_REQUIRED');
    });

    it('answers bad input with a 400 naming the field, a name or email taken with a 409', async () => {
      const bad = await root.client.post('/users', { name: 'Not OK', email: 'nope', displayName: '', grants: [{ role: 'owner', brandId: 'acme' }] });
      expect(bad.status).toBe(400);
      expect(bad.data.fields.map((f: { field: string }) => f.field).sort()).toEqual(['displayName', 'email', 'grants.0.role', 'name']);
      const unknownBrand = await root.client.post('/users', { name: 'gus', email: 'gus@example.test', displayName: 'Gus', grants: [{ role: 'agent', brandId: 'initech' }] });
      expect({ status: unknownBrand.status, code: unknownBrand.data.code, field: unknownBrand.data.fields[0].field }).toEqual({ status: 400, code: 'AUTH.UNKNOWN_BRAND', field: 'grants' });
      const weak = await root.client.post('/users', { name: 'gus', email: 'gus@example.test', displayName: 'Gus', grants: [], password: 'gus' });
      expect({ status: weak.status, code: weak.data.code, field: weak.data.fields[0].field }).toEqual({ status: 400, code: 'AUTH.WEAK_PASSWORD', field: 'password' });
      const email = await root.client.post('/users', { name: 'gus', email: 'ANN@example.test', displayName: 'Gus', grants: [] });
      expect({ status: email.status, code: email.data.code }).toEqual({ status: 409, code: 'USER.EMAIL_TAKEN' });
      const name = await root.client.post('/users', { name: 'ann', email: 'gus@example.test', displayName: 'Gus', grants: [] });
      expect({ status: name.status, code: name.data.code }).toEqual({ status: 409, code: 'USER.NAME_TAKEN' });
      // The config's token named alice already acts as alice on cases.
      const token = await root.client.post('/users', { name: 'alice', email: 'alice@example.test', displayName: 'Alice', grants: [] });
      expect({ status: token.status, code: token.data.code }).toEqual({ status: 409, code: 'USER.NAME_TAKEN' });
      expect((await db.query(`SELECT 1 FROM app_user WHERE name IN ('gus', 'alice')`)).length).toBe(0);
      expect((await root.client.get('/users/00000000-0000-4000-8000-000000000000')).data.code).toBe('USER.NOT_FOUND');
      expect((await root.client.patch('/users/00000000-0000-4000-8000-000000000000', { active: false })).status).toBe(404);
      expect((await root.client.post('/users/00000000-0000-4000-8000-000000000000/password-reset')).status).toBe(404);
    });

    it('resets a password: the user’s sessions end and the temporary password must be changed', async () => {
      const hal = await addUser(t, 'hal', [{ role: 'agent', brandId: 'acme' }]);
      const [first, second] = [await signIn(t, { name: 'hal' }), await signIn(t, { name: 'hal' })];
      const reset = await root.client.post(`/users/${hal.id}/password-reset`);
      expect(reset.status).toBe(200);
      const temporary = reset.data.temporaryPassword;
      secrets.add(temporary);
      expect((await first.client.get('/auth/me')).status).toBe(401);
      expect((await second.client.get('/auth/me')).status).toBe(401);
      expect((await t.anonymous.post('/auth/sign-in', { name: 'hal', password: PASSWORD }, { headers: from() })).status).toBe(401);

      const fresh = await signIn(t, { name: 'hal' }, temporary);
      const other = await signIn(t, { name: 'hal' }, temporary);
      expect((await fresh.client.get('/cases')).status).toBe(403);
      const wrong = await fresh.client.post('/auth/password', { currentPassword: 'not it at all', newPassword: 'a brand new secret' }, { headers: from() });
      expect({ status: wrong.status, code: wrong.data.code, field: wrong.data.fields[0].field }).toEqual({ status: 400, code: 'AUTH.WRONG_PASSWORD', field: 'currentPassword' });
      const weak = await fresh.client.post('/auth/password', { currentPassword: temporary, newPassword: 'hal-2026-spring' });
      expect({ status: weak.status, code: weak.data.code, field: weak.data.fields[0].field }).toEqual({ status: 400, code: 'AUTH.WEAK_PASSWORD', field: 'newPassword' });
      expect((await fresh.client.post('/auth/password', { currentPassword: temporary, newPassword: 'a quiet blue river' })).status).toBe(204);
      expect((await fresh.client.get('/cases')).status).toBe(200);
      expect((await other.client.get('/auth/me')).status).toBe(401);
      expect((await signIn(t, { name: 'hal' }, 'a quiet blue river')).response.data.user.passwordChangeRequired).toBe(false);
      // A token cannot change a password, even with the current one.
      const token = (await root.client.post('/api-tokens', { name: 'root-own', userId: (await root.client.get('/auth/me')).data.id })).data.token;
      secrets.add(token);
      expect((await bearer(t, token).post('/auth/password', { currentPassword: ROOT_PASSWORD, newPassword: 'something else entirely' })).data.code).toBe('AUTH.SESSION_REQUIRED');
    });

    it('deactivates a user: sessions end and sign-in fails until reactivated', async () => {
      const ivo = await addUser(t, 'ivo', [{ role: 'agent', brandId: 'acme' }]);
      const session = await signIn(t, { name: 'ivo' });
      expect((await root.client.patch(`/users/${ivo.id}`, { active: false, displayName: 'Ivo (left)' })).data).toMatchObject({ active: false, displayName: 'Ivo (left)' });
      expect((await session.client.get('/auth/me')).status).toBe(401);
      expect((await t.anonymous.post('/auth/sign-in', { name: 'ivo', password: PASSWORD }, { headers: from() })).data.code).toBe('AUTH.BAD_CREDENTIALS');
      await root.client.patch(`/users/${ivo.id}`, { active: true });
      expect((await signIn(t, { name: 'ivo' })).response.status).toBe(200);
    });

    it('keeps a brand’s admin to the people of its brand', async () => {
      const listed = (await ada.client.get('/users')).data.map((u: { name: string }) => u.name);
      expect(listed).toEqual(expect.arrayContaining(['ada', 'ann', 'hal']));
      expect(listed).not.toContain('root');
      // temp is an agent of acme and of globex: out of an acme admin's reach.
      expect(listed).not.toContain('temp');
      const temp = (await root.client.get('/users')).data.find((u: { name: string }) => u.name === 'temp');
      for (const request of [
        ada.client.get(`/users/${temp.id}`),
        ada.client.patch(`/users/${temp.id}`, { active: false }),
        ada.client.post(`/users/${temp.id}/password-reset`),
        ada.client.post('/users', { name: 'jo', email: 'jo@example.test', displayName: 'Jo', grants: [{ role: 'agent', brandId: 'globex' }] }),
        ada.client.post('/users', { name: 'jo', email: 'jo@example.test', displayName: 'Jo', grants: [{ role: 'admin', brandId: null }] }),
      ]) {
        const response = await request;
        expect({ status: response.status, code: response.data.code }).toEqual({ status: 403, code: 'AUTH.BRAND' });
      }
      const ann = (await ada.client.get('/users')).data.find((u: { name: string }) => u.name === 'ann');
      const promoted = await ada.client.patch(`/users/${ann.id}`, { grants: [{ role: 'agent', brandId: 'acme' }, { role: 'approver', brandId: 'acme' }] });
      expect(promoted.data.grants).toEqual([{ role: 'agent', brandId: 'acme' }, { role: 'approver', brandId: 'acme' }]);
      expect((await ada.client.patch(`/users/${ann.id}`, { grants: [{ role: 'agent', brandId: 'globex' }] })).status).toBe(403);
    });

    it('never leaves Paradox without an active admin over every brand', async () => {
      const me = (await root.client.get('/auth/me')).data;
      for (const change of [{ active: false }, { grants: [{ role: 'admin', brandId: 'acme' }] }]) {
        const refused = await root.client.patch(`/users/${me.id}`, change);
        expect({ status: refused.status, code: refused.data.code }).toEqual({ status: 409, code: 'USER.LAST_ADMIN' });
      }
      await addUser(t, 'kim', [{ role: 'admin', brandId: null }]);
      expect((await root.client.patch(`/users/${me.id}`, { grants: [{ role: 'admin', brandId: 'acme' }] })).status).toBe(200);
    });

    it('names the active people holding a role for a brand, for other rooms to notify or hand cases to', async () => {
      const users = t.app.get(UsersService);
      expect((await users.withRole(['manager'], 'acme')).map((u) => u.name)).toEqual(['mia']);
      expect((await users.withRole(['admin'], 'acme')).map((u) => u.name)).toEqual(['ada', 'kim', 'root']);
      expect((await users.withRole(['admin'], 'globex')).map((u) => u.name)).toEqual(['kim']);
      const ivo = (await users.withRole(['agent'], 'acme')).find((u) => u.name === 'ivo')!;
      await root.client.patch(`/users/${ivo.id}`, { active: false });
      expect((await users.withRole(['agent'], 'acme')).map((u) => u.name)).not.toContain('ivo');
      expect((await users.withRole(['agent'], 'globex')).map((u) => u.name)).toEqual(['temp']);
    });

    it('records every change in the audit, with no password or token in it', async () => {
      const actions = (await db.query(`SELECT DISTINCT action FROM audit_entry`)).map((r: { action: string }) => r.action);
      expect(actions).toEqual(
        expect.arrayContaining(['user.created', 'user.signed_in', 'user.roles_changed', 'user.password_reset', 'user.password_changed', 'user.deactivated', 'user.reactivated', 'user.updated', 'token.created', 'token.revoked']),
      );
      const [roles] = await db.query(`SELECT actor, brand_id, data FROM audit_entry WHERE action = 'user.roles_changed' AND data->>'name' = 'ann'`);
      expect(roles).toMatchObject({ actor: 'ada', brand_id: 'acme', data: { before: [{ role: 'agent', brandId: 'acme' }], after: [{ role: 'agent', brandId: 'acme' }, { role: 'approver', brandId: 'acme' }] } });
      const everything = JSON.stringify(await db.query(`SELECT * FROM audit_entry`));
      for (const secret of secrets) expect(everything).not.toContain(secret);
      // A brand's manager reads its brand's entries, never another's.
      const mia = await signIn(t, { name: 'mia' });
      const seen = (await mia.client.get('/audit', { params: { limit: 1000 } })).data.items;
      expect(seen.length).toBeGreaterThan(0);
      expect(seen.every((e: { brandId: string }) => e.brandId === 'acme')).toBe(true);
    });
  });
});

describe('the one-time token of a first local run', () => {
  it('works while there is no user, and stops once the first admin exists', async () => {
    const t = await startTestApp({ ...file, access: [] });
    try {
      const token = t.config.generatedToken!.token;
      expect(Object.values(TOKENS)).not.toContain(token);
      expect((await bearer(t, token).get('/cases')).status).toBe(200);
      const run = await cli(t, ['--admin', '--name', 'owner', '--email', 'owner@example.test', '--password-stdin'], ROOT_PASSWORD);
      expect(run).toMatchObject({ code: 0, stderr: '' });
      expect((await bearer(t, token).get('/cases')).status).toBe(401);
      const { ApiTokensService } = await import('../../src/auth/api-tokens.service.js');
      await expect(t.app.get(ApiTokensService).oneTimeToken()).resolves.toBeNull();
      expect((await signIn(t, { name: 'owner' }, ROOT_PASSWORD)).response.data.user.grants).toEqual([{ role: 'admin', brandId: null }]);
    } finally {
      await t.close();
    }
  });
});
