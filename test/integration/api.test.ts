import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { AxiosInstance } from 'axios';
import { CaseAlreadyClaimedError } from '../../src/cases/case-errors.js';
import { CasesService } from '../../src/cases/cases.service.js';
import { Clock } from '../../src/common/clock.js';
import { workers } from '../support/flow.js';
import { MastodonImitation } from '../support/mastodon-imitation.js';
import { TestClock } from '../support/test-clock.js';
import { mastodonSource, startTestApp, type TestApp } from '../support/test-app.js';
import { addUser, PASSWORD, signIn } from '../support/test-users.js';
import { WEBHOOK_SECRET, WebhookClient, webhookSecrets, webhookSources } from '../support/webhook-client.js';
import type { Role } from '../../src/config/config.schema.js';

const ROLES: Role[] = ['agent', 'approver', 'manager', 'admin'];
const ALL: (Role | 'anonymous')[] = ['anonymous', ...ROLES];

// Who walks the matrix: nobody; the config file's tokens (a role for every brand); and people
// signed in by cookie (with the CSRF token), holding a role for acme, where every case of this
// test lives, or only for globex.
interface MatrixCaller {
  label: string;
  role: Role | 'anonymous';
  brand: 'every' | 'acme' | 'globex' | null;
  client: AxiosInstance;
  session: boolean;
}

describe('the REST API', () => {
  let mastodon: MastodonImitation;
  let t: TestApp;
  let caseId: string;
  let postId: string;
  let replyId: string;
  let targetId: string;
  let tokenId: string;
  let teamId: string;
  let otherCaseId: string;
  const callers: MatrixCaller[] = [];
  let made = 0;
  let customerId: string;
  let authorId: string;

  beforeAll(async () => {
    mastodon = await MastodonImitation.start();
    const clock = new TestClock(new Date());
    const file = mastodonSource(mastodon.url);
    const sources = [...file.sources, ...webhookSources([{ id: 'acme-webhook' }]).sources];
    const brands = [...file.brands, { id: 'globex', name: 'Globex' }];
    t = await startTestApp({ ...file, brands, sources }, { clock, env: { T_MASTODON: mastodon.accessToken, ...webhookSecrets(1) } });
    const mallory = mastodon.addAccount('mallory', { displayName: '<img src=x onerror=alert(1)>' });
    mastodon.post(mallory, '@acme <script>alert("x")</script> my order is broken and still not refunded', { createdAt: clock.now() });
    const ruth = mastodon.addAccount('ruth');
    mastodon.post(ruth, '@acme the replacement you sent is broken too, this is a disgrace', { createdAt: new Date(clock.now().getTime() - 60_000) });
    await workers(t).poll();
    const items = (await t.as('agent').get('/cases')).data.items;
    const first = items.find((c: { customer: { handle: string } }) => c.customer.handle.includes('mallory'));
    caseId = first.id;
    postId = first.post.id;
    // A reply on ruth's case, for the reply routes: queued, so retrying or recording it is a 409.
    const other = items.find((c: { id: string }) => c.id !== caseId);
    otherCaseId = other.id;
    customerId = first.customer.id;
    authorId = first.customer.authorId;
    replyId = (await t.as('agent').post(`/cases/${other.id}/acknowledge`, {})).data.id;
    targetId = (await addUser(t, 'matrix-target', [{ role: 'agent', brandId: 'acme' }])).id;
    teamId = (await t.as('manager').post('/teams', { brandId: 'acme', name: 'Care' })).data.id;
    tokenId = (await t.as('manager').post('/api-tokens', { name: 'matrix-token', grants: [{ role: 'agent', brandId: 'acme' }] })).data.id;

    callers.push({ label: 'anonymous', role: 'anonymous', brand: null, client: t.anonymous, session: false });
    for (const role of ['agent', 'approver', 'manager'] as const) callers.push({ label: `${role} token`, role, brand: 'every', client: t.as(role), session: false });
    for (const brand of ['acme', 'globex'] as const) {
      for (const role of ROLES) {
        await addUser(t, `${brand}-${role}`, [{ role, brandId: brand }]);
        callers.push({ label: `${role} of ${brand}`, role, brand, client: (await signIn(t, { name: `${brand}-${role}` })).client, session: true });
      }
    }
  });

  afterAll(async () => {
    await t?.close();
    await mastodon?.stop();
  });

  // Every route, and who may call it: roles, or 'signature' for a public route whose caller signs
  // the request instead of holding a token. brand: the route touches something of acme's, so a
  // role held only for globex is refused (403 AUTH.BRAND); on the other routes such a caller sees
  // nothing of acme. A route missing here fails the last test.
  const matrix: {
    method: 'get' | 'post' | 'put' | 'patch' | 'delete';
    path: () => string;
    body?: unknown | ((c: MatrixCaller) => unknown);
    // signature: a signed webhook; hub: a WebSub callback, answered alike whoever calls.
  allowed: (Role | 'anonymous')[] | 'signature' | 'hub';
    brand?: true;
  }[] = [
    { method: 'get', path: () => '/health', allowed: ALL },
    { method: 'post', path: () => '/auth/sign-in', body: { name: 'matrix-target', password: PASSWORD }, allowed: ALL },
    { method: 'get', path: () => '/auth/me', allowed: ROLES },
    { method: 'get', path: () => '/cases', allowed: ROLES },
    { method: 'get', path: () => `/cases/${caseId}`, allowed: ROLES, brand: true },
    { method: 'get', path: () => `/cases/${caseId}/replies`, allowed: ROLES, brand: true },
    { method: 'get', path: () => `/cases/${caseId}/draft?kind=acknowledgement`, allowed: ['agent', 'manager', 'admin'], brand: true },
    { method: 'get', path: () => '/follow-ups', allowed: ROLES },
    { method: 'get', path: () => '/sources', allowed: ROLES },
    { method: 'post', path: () => `/cases/${caseId}/claim`, allowed: ['agent', 'manager', 'admin'], brand: true },
    { method: 'post', path: () => `/cases/${caseId}/release`, allowed: ['agent', 'manager', 'admin'], brand: true },
    { method: 'post', path: () => `/cases/${caseId}/acknowledge`, body: {}, allowed: ['agent', 'manager', 'admin'], brand: true },
    { method: 'post', path: () => `/cases/${caseId}/resolve`, body: { note: 'x', firstTimeFix: true }, allowed: ['agent', 'manager', 'admin'], brand: true },
    { method: 'get', path: () => `/cases/${caseId}/thread`, allowed: ROLES, brand: true },
    { method: 'post', path: () => `/cases/${caseId}/replies`, body: { kind: 'question' }, allowed: ['agent', 'manager', 'admin'], brand: true },
    { method: 'post', path: () => `/cases/${caseId}/transfer`, body: { toUser: 'bob' }, allowed: ['agent', 'manager', 'admin'], brand: true },
    { method: 'get', path: () => '/teams', allowed: ROLES },
    { method: 'post', path: () => '/teams', body: () => ({ brandId: 'acme', name: `Matrix ${++made}` }), allowed: ['manager', 'admin'], brand: true },
    { method: 'post', path: () => `/teams/${teamId}/members`, body: { name: 'alice' }, allowed: ['manager', 'admin'], brand: true },
    { method: 'delete', path: () => `/teams/${teamId}/members/alice`, allowed: ['manager', 'admin'], brand: true },
    { method: 'get', path: () => '/templates', allowed: ROLES },
    { method: 'put', path: () => '/templates/acme/question/en', body: { text: 'Hi {firstName}, one question so we fix it first time: which order is it? (ref {caseRef})' }, allowed: ['manager', 'admin'], brand: true },
    { method: 'get', path: () => '/approvals', allowed: ['approver', 'manager', 'admin'] },
    { method: 'post', path: () => '/approvals/00000000-0000-4000-8000-000000000000/approve', body: {}, allowed: ['approver', 'manager', 'admin'] },
    { method: 'post', path: () => '/approvals/00000000-0000-4000-8000-000000000000/reject', body: { comment: 'Too casual' }, allowed: ['approver', 'manager', 'admin'] },
    { method: 'post', path: () => `/replies/${replyId}/retry`, allowed: ['agent', 'manager', 'admin'], brand: true },
    { method: 'post', path: () => `/replies/${replyId}/record`, body: {}, allowed: ['agent', 'manager', 'admin'], brand: true },
    { method: 'post', path: () => `/posts/${postId}/label`, body: { topic: 'delivery' }, allowed: ['agent', 'manager', 'admin'], brand: true },
    { method: 'get', path: () => '/analysis/models', allowed: ROLES },
    { method: 'get', path: () => `/audit?caseId=${caseId}`, allowed: ['manager', 'admin'] },
    { method: 'post', path: () => '/analysis/models/retrain', allowed: ['manager', 'admin'] },
    { method: 'get', path: () => '/users', allowed: ['admin'] },
    { method: 'post', path: () => '/users', body: () => ({ name: `matrix-${++made}`, email: `matrix-${made}@example.test`, displayName: 'M', grants: [{ role: 'agent', brandId: 'acme' }] }), allowed: ['admin'], brand: true },
    { method: 'get', path: () => `/users/${targetId}`, allowed: ['admin'], brand: true },
    { method: 'patch', path: () => `/users/${targetId}`, body: { displayName: 'Matrix target' }, allowed: ['admin'], brand: true },
    { method: 'post', path: () => `/users/${targetId}/password-reset`, allowed: ['admin'], brand: true },
    { method: 'get', path: () => '/api-tokens', allowed: ['manager', 'admin'] },
    { method: 'post', path: () => '/api-tokens', body: () => ({ name: `matrix-${++made}`, grants: [{ role: 'agent', brandId: 'acme' }] }), allowed: ['manager', 'admin'], brand: true },
    { method: 'delete', path: () => `/api-tokens/${tokenId}`, allowed: ['manager', 'admin'], brand: true },
    { method: 'get', path: () => `/customers/${customerId}`, allowed: ROLES, brand: true },
    { method: 'get', path: () => `/customers/${customerId}/suggestions`, allowed: ROLES, brand: true },
    { method: 'post', path: () => `/customers/${customerId}/notes`, body: { text: 'Prefers e-mail' }, allowed: ['agent', 'manager', 'admin'], brand: true },
    { method: 'post', path: () => `/cases/${caseId}/notes`, body: { text: 'Called back' }, allowed: ['agent', 'manager', 'admin'], brand: true },
    { method: 'post', path: () => `/customers/${customerId}/authors`, body: () => ({ authorId }), allowed: ['agent', 'manager', 'admin'], brand: true },
    { method: 'delete', path: () => `/customers/${customerId}/authors/${authorId}`, allowed: ['agent', 'manager', 'admin'], brand: true },
    { method: 'get', path: () => '/notifications', allowed: ['manager', 'admin'] },
    { method: 'post', path: () => '/notifications/00000000-0000-4000-8000-000000000000/read', allowed: ['manager', 'admin'] },
    { method: 'post', path: () => `/cases/${caseId}/compensations`, body: { amount: '5.00', description: 'Shipping refunded' }, allowed: ['agent', 'manager', 'admin'], brand: true },
    { method: 'post', path: () => '/compensations/00000000-0000-4000-8000-000000000000/approve', body: {}, allowed: ['manager', 'admin'] },
    { method: 'post', path: () => '/compensations/00000000-0000-4000-8000-000000000000/reject', body: {}, allowed: ['manager', 'admin'] },
    { method: 'get', path: () => '/budgets/me', allowed: ['agent', 'manager', 'admin'] },
    { method: 'get', path: () => '/budgets', allowed: ['manager', 'admin'] },
    // Near the end: they change the cases the routes above work on.
    { method: 'post', path: () => '/cases/merge', body: () => ({ intoCaseId: caseId, caseIds: [otherCaseId] }), allowed: ['agent', 'manager', 'admin'], brand: true },
    { method: 'post', path: () => '/cases/bulk/dismiss', body: () => ({ caseIds: [otherCaseId] }), allowed: ['agent', 'manager', 'admin'], brand: true },
    { method: 'post', path: () => '/webhooks/acme-webhook', body: { id: 'matrix-1', text: 'Where is my parcel?', author: { id: 'c-1' } }, allowed: 'signature' },
    { method: 'get', path: () => '/websub/acme-webhook?hub.mode=subscribe&hub.topic=https%3A%2F%2Ffeeds.example%2Facme.xml&hub.challenge=matrix', allowed: 'hub' },
    { method: 'post', path: () => '/websub/acme-webhook', body: '<feed xmlns="http://www.w3.org/2005/Atom"></feed>', allowed: 'hub' },
    // A token has no password to change (403 AUTH.SESSION_REQUIRED, not a refusal of its role).
    { method: 'post', path: () => '/auth/password', body: { currentPassword: PASSWORD, newPassword: 'another long passphrase' }, allowed: ROLES },
    // Last: it ends the session every signed-in caller walked the matrix with.
    { method: 'post', path: () => '/auth/sign-out', allowed: ROLES },
  ];

  it('answers bad input with a 400 that names the field', async () => {
    const notUuid = await t.as('agent').post('/cases/not-a-uuid/claim');
    expect(notUuid.status).toBe(400);
    expect(notUuid.data.fields.map((f: { field: string }) => f.field)).toEqual(['id']);

    const missing = await t.as('agent').post(`/cases/${caseId}/resolve`, { firstTimeFix: 'yes' });
    expect(missing.status).toBe(400);
    expect(missing.data.fields.map((f: { field: string }) => f.field).sort()).toEqual(['firstTimeFix', 'note']);

    const extra = await t.as('agent').post(`/cases/${caseId}/acknowledge`, { text: 'hi', sendToAll: true });
    expect(extra.status).toBe(400);
    expect(extra.data.message).toContain('sendToAll');

    const limit = await t.as('agent').get('/cases', { params: { limit: 5000 } });
    expect(limit.status).toBe(400);
    expect(limit.data.fields[0].field).toBe('limit');
    // Each list sets its own page size: the audit log reads up to 1,000 entries a page.
    expect((await t.as('manager').get('/audit', { params: { limit: 1000 } })).status).toBe(200);
    const auditPage = await t.as('manager').get('/audit', { params: { limit: 1001, offset: -1 } });
    expect(auditPage.status).toBe(400);
    expect(auditPage.data.fields.map((f: { field: string }) => f.field).sort()).toEqual(['limit', 'offset']);
  });

  it('answers an unknown case with a 404 and a state conflict with a 409 code', async () => {
    const unknown = await t.as('agent').get('/cases/00000000-0000-4000-8000-000000000000');
    expect(unknown.status).toBe(404);
    expect(unknown.data.code).toBe('CASE.NOT_FOUND');

    await t.as('agent').post(`/cases/${caseId}/claim`);
    const notHolder = await t.as('agent2').post(`/cases/${caseId}/release`);
    expect(notHolder.status).toBe(409);
    expect(notHolder.data.code).toBe('CASE.NOT_HOLDER');
    expect((await t.as('agent').post(`/cases/${caseId}/release`)).status).toBe(200);
  });

  it('refuses a reply longer than the channel allows and writes nothing', async () => {
    const long = await t.as('agent').post(`/cases/${caseId}/acknowledge`, { text: 'x'.repeat(600) });
    expect(long.status).toBe(400);
    expect(long.data).toMatchObject({ code: 'REPLY.TOO_LONG', field: 'text', max: 500 });
    expect((await t.as('agent').get(`/cases/${caseId}/replies`)).data).toEqual([]);
    expect((await t.as('agent').get(`/cases/${caseId}`)).data.claimedBy).toBeNull();
  });

  it('refuses to record by hand a reply that Paradox posts itself', async () => {
    const ack = await t.as('agent').post(`/cases/${caseId}/acknowledge`, {});
    expect(ack.data).toMatchObject({ status: 'queued', manual: false });
    const record = await t.as('agent').post(`/replies/${ack.data.id}/record`, { url: 'https://example.test/reply' });
    expect(record.status).toBe(409);
    expect(record.data.code).toBe('REPLY.NOT_MANUAL');
    const badUrl = await t.as('agent').post(`/replies/${ack.data.id}/record`, { url: 'javascript:alert(1)' });
    expect(badUrl.status).toBe(400);
    expect(badUrl.data.fields[0].field).toBe('url');
    await t.as('agent').post(`/cases/${caseId}/release`);
  });

  it("returns a stranger's markup as JSON text, never as a page", async () => {
    const response = await t.as('agent').get(`/cases/${caseId}`);
    expect(response.headers['content-type']).toMatch(/^application\/json/);
    expect(response.data.post.text).toContain('<script>alert("x")</script>');
    expect(response.data.customer.displayName).toBe('<img src=x onerror=alert(1)>');
  });

  it('lets exactly one of twenty agents claiming at once hold the case', async () => {
    const cases = t.app.get(CasesService);
    const results = await Promise.allSettled(Array.from({ length: 20 }, (_, i) => cases.claim(caseId, { id: `agent-${i}`, name: `agent-${i}`, grants: [{ role: 'agent', brandId: null }] })));
    const winners = results.filter((r) => r.status === 'fulfilled');
    expect(winners).toHaveLength(1);
    for (const r of results) if (r.status === 'rejected') expect((r.reason as CaseAlreadyClaimedError).code).toBe('CASE.ALREADY_CLAIMED');
    const holder = (winners[0] as PromiseFulfilledResult<{ claimedBy: string }>).value.claimedBy;
    expect((await t.as('agent').get(`/cases/${caseId}`)).data.claimedBy).toBe(holder);
  });

  it('answers /health without a token and says which database runs', async () => {
    const response = await t.anonymous.get('/health');
    expect(response.data).toEqual({ status: 'ok', database: 'server', demo: false });
  });

  // Last: the matrix changes the case's state on its way through.
  it('checks the caller on every route: 401 without credentials, 403 for a role that may not or a brand it does not hold', async () => {
    const refusals = ['AUTH.REQUIRED', 'AUTH.FORBIDDEN', 'AUTH.BRAND', 'AUTH.CSRF'];
    for (const route of matrix) {
      for (const caller of callers) {
        const body = typeof route.body === 'function' ? route.body(caller) : route.body;
        const response = await caller.client.request({ method: route.method, url: route.path(), data: body });
        const label = `${caller.label} ${route.method.toUpperCase()} ${route.path()}`;
        const got = { label, status: response.status, code: response.data?.code };
        if (route.allowed === 'signature') {
          // No token is asked for, and none stands in for the signature.
          expect(got).toEqual({ label, status: 401, code: 'WEBHOOK.UNSIGNED' });
          continue;
        }
        if (route.allowed === 'hub') {
          // No token opens it: a webhook source takes no WebSub pushes, for anyone.
          expect(got).toEqual({ label, status: 404, code: 'WEBSUB.SOURCE_NOT_FOUND' });
          continue;
        }
        if (!route.allowed.includes(caller.role)) {
          expect(got).toEqual(caller.role === 'anonymous' ? { label, status: 401, code: 'AUTH.REQUIRED' } : { label, status: 403, code: 'AUTH.FORBIDDEN' });
        } else if (caller.brand === 'globex' && route.brand) {
          expect(got).toEqual({ label, status: 403, code: 'AUTH.BRAND' });
        } else {
          expect({ label, refused: response.status === 401 || refusals.includes(got.code) }).toEqual({ label, refused: false });
          expect({ label, status: response.status }).not.toEqual({ label, status: 500 });
          // Lists and the like show a caller of globex nothing of acme.
          if (caller.brand === 'globex' && route.path() !== '/auth/sign-in') expect({ label, body: JSON.stringify(response.data) }).not.toEqual({ label, body: expect.stringContaining('acme') });
        }
      }
    }
  });

  it('lets a signed request through a public route without any token', async () => {
    for (const route of matrix.filter((r) => r.allowed === 'signature')) {
      const caller = new WebhookClient(t.url, route.path().split('/').pop()!, WEBHOOK_SECRET, () => t.app.get(Clock).now());
      const response = await caller.send(route.body);
      expect({ route: route.path(), status: response.status }).toEqual({ route: route.path(), status: 202 });
    }
  });

  it('lists every route of the OpenAPI document in the role matrix', async () => {
    const doc = (await t.anonymous.get('/docs/json')).data;
    const documented = Object.entries(doc.paths as Record<string, Record<string, unknown>>).flatMap(([path, ops]) =>
      Object.keys(ops).map((method) => `${method} ${path}`),
    );
    const tested = matrix.map(
      (r) =>
        `${r.method} ${r
          .path()
          .split('?')[0]
          .replace(caseId, '{id}')
          .replace(postId, '{id}')
          .replace(targetId, '{id}')
          .replace(tokenId, '{id}')
          .replace(teamId, '{id}')
          .replace(customerId, '{id}')
          .replace(authorId, '{authorId}')
          .replace(/(notifications|compensations)\/[\w-]+/, '$1/{id}')
          .replace(/members\/[\w-]+/, 'members/{member}')
          .replace(/approvals\/[\w-]+\//, 'approvals/{replyId}/')
          .replace(/templates\/[\w-]+\/[\w-]+\/[\w-]+/, 'templates/{brand}/{kind}/{language}')
          .replace(/replies\/[\w-]+/, 'replies/{id}')
          .replace(/(webhooks|websub)\/[\w-]+/, '$1/{sourceId}')}`,
    );
    expect(documented.sort()).toEqual([...new Set(tested)].sort());
    expect((await t.anonymous.get('/docs')).status).toBe(200);
  });
});
