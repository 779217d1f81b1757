import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { CaseAlreadyClaimedError } from '../../src/cases/case-errors.js';
import { CasesService } from '../../src/cases/cases.service.js';
import { Clock } from '../../src/common/clock.js';
import { workers } from '../support/flow.js';
import { MastodonImitation } from '../support/mastodon-imitation.js';
import { TestClock } from '../support/test-clock.js';
import { mastodonSource, startTestApp, type TestApp, TOKENS } from '../support/test-app.js';
import { WEBHOOK_SECRET, WebhookClient, webhookSecrets, webhookSources } from '../support/webhook-client.js';

type Role = keyof typeof TOKENS | 'anonymous';
const ROLES: Role[] = ['anonymous', 'agent', 'approver', 'manager'];

describe('the REST API', () => {
  let mastodon: MastodonImitation;
  let t: TestApp;
  let caseId: string;
  let postId: string;
  let customerId: string;
  let authorId: string;
  const client = (role: Role) => (role === 'anonymous' ? t.anonymous : t.as(role));

  beforeAll(async () => {
    mastodon = await MastodonImitation.start();
    const clock = new TestClock(new Date());
    const file = mastodonSource(mastodon.url);
    const sources = [...file.sources, ...webhookSources([{ id: 'acme-webhook' }]).sources];
    t = await startTestApp({ ...file, sources }, { clock, env: { T_MASTODON: mastodon.accessToken, ...webhookSecrets(1) } });
    const mallory = mastodon.addAccount('mallory', { displayName: '<img src=x onerror=alert(1)>' });
    mastodon.post(mallory, '@acme <script>alert("x")</script> my order is broken and still not refunded', { createdAt: clock.now() });
    await workers(t).poll();
    const [first] = (await t.as('agent').get('/cases')).data.items;
    caseId = first.id;
    postId = first.post.id;
    customerId = first.customer.id;
    authorId = first.customer.authorId;
  });

  afterAll(async () => {
    await t?.close();
    await mastodon?.stop();
  });

  // Every route, and who may call it: roles by bearer token, or 'signature' for a public route whose
  // caller signs the request instead. A route missing here fails the last test.
  const matrix: { method: 'get' | 'post' | 'delete'; path: () => string; body?: Record<string, unknown>; allowed: Role[] | 'signature' }[] = [
    { method: 'get', path: () => '/health', allowed: ROLES },
    { method: 'get', path: () => '/cases', allowed: ['agent', 'approver', 'manager'] },
    { method: 'get', path: () => `/cases/${caseId}`, allowed: ['agent', 'approver', 'manager'] },
    { method: 'get', path: () => `/cases/${caseId}/replies`, allowed: ['agent', 'approver', 'manager'] },
    { method: 'get', path: () => `/cases/${caseId}/draft?kind=acknowledgement`, allowed: ['agent', 'manager'] },
    { method: 'get', path: () => '/follow-ups', allowed: ['agent', 'approver', 'manager'] },
    { method: 'get', path: () => '/sources', allowed: ['agent', 'approver', 'manager'] },
    { method: 'post', path: () => `/cases/${caseId}/claim`, allowed: ['agent', 'manager'] },
    { method: 'post', path: () => `/cases/${caseId}/release`, allowed: ['agent', 'manager'] },
    { method: 'post', path: () => `/cases/${caseId}/acknowledge`, body: {}, allowed: ['agent', 'manager'] },
    { method: 'post', path: () => `/cases/${caseId}/resolve`, body: { note: 'x', firstTimeFix: true }, allowed: ['agent', 'manager'] },
    { method: 'get', path: () => `/cases/${caseId}/thread`, allowed: ['agent', 'approver', 'manager'] },
    { method: 'post', path: () => '/replies/00000000-0000-4000-8000-000000000000/retry', allowed: ['agent', 'manager'] },
    { method: 'post', path: () => '/replies/00000000-0000-4000-8000-000000000000/record', body: {}, allowed: ['agent', 'manager'] },
    { method: 'post', path: () => `/posts/${postId}/label`, body: { topic: 'delivery' }, allowed: ['agent', 'manager'] },
    { method: 'get', path: () => '/analysis/models', allowed: ['agent', 'approver', 'manager'] },
    { method: 'get', path: () => `/audit?caseId=${caseId}`, allowed: ['manager'] },
    { method: 'post', path: () => '/analysis/models/retrain', allowed: ['manager'] },
    { method: 'get', path: () => `/customers/${customerId}`, allowed: ['agent', 'approver', 'manager'] },
    { method: 'get', path: () => `/customers/${customerId}/suggestions`, allowed: ['agent', 'approver', 'manager'] },
    { method: 'post', path: () => `/customers/${customerId}/authors`, body: { authorId: () => authorId }, allowed: ['agent', 'manager'] },
    { method: 'delete', path: () => `/customers/${customerId}/authors/${authorId}`, allowed: ['agent', 'manager'] },
    { method: 'post', path: () => `/customers/${customerId}/notes`, body: { text: 'Prefers e-mail' }, allowed: ['agent', 'manager'] },
    { method: 'post', path: () => `/cases/${caseId}/notes`, body: { text: 'Called back' }, allowed: ['agent', 'manager'] },
    { method: 'get', path: () => '/notifications', allowed: ['manager'] },
    { method: 'post', path: () => '/notifications/00000000-0000-4000-8000-000000000000/read', allowed: ['manager'] },
    { method: 'post', path: () => `/cases/${caseId}/compensations`, body: { amount: '5.00', description: 'Shipping refunded' }, allowed: ['agent', 'manager'] },
    { method: 'post', path: () => '/compensations/00000000-0000-4000-8000-000000000000/approve', body: {}, allowed: ['manager'] },
    { method: 'post', path: () => '/compensations/00000000-0000-4000-8000-000000000000/reject', body: {}, allowed: ['manager'] },
    { method: 'get', path: () => '/budgets/me', allowed: ['agent', 'manager'] },
    { method: 'get', path: () => '/budgets', allowed: ['manager'] },
    { method: 'post', path: () => '/webhooks/acme-webhook', body: { id: 'matrix-1', text: 'Where is my parcel?', author: { id: 'c-1' } }, allowed: 'signature' },
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
  it('checks the caller on every route: 401 without a token, 403 for a role that may not', async () => {
    for (const route of matrix) {
      for (const role of ROLES) {
        const body = route.body && Object.fromEntries(Object.entries(route.body).map(([k, v]) => [k, typeof v === 'function' ? v() : v]));
        const response = await client(role).request({ method: route.method, url: route.path(), data: body });
        const label = `${role} ${route.method.toUpperCase()} ${route.path()}`;
        if (route.allowed === 'signature') {
          // No token is asked for, and none stands in for the signature.
          expect({ label, status: response.status, code: response.data.code }).toEqual({ label, status: 401, code: 'WEBHOOK.UNSIGNED' });
          continue;
        }
        const refused = role === 'anonymous' ? 401 : 403;
        if (route.allowed.includes(role)) expect({ label, status: response.status }).not.toEqual({ label, status: refused });
        else expect({ label, status: response.status }).toEqual({ label, status: refused });
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
          .replace(customerId, '{id}')
          .replace(authorId, '{authorId}')
          .replace(/(notifications|compensations)\/[\w-]+/, '$1/{id}')
          .replace(/replies\/[\w-]+/, 'replies/{id}')
          .replace(/webhooks\/[\w-]+/, 'webhooks/{sourceId}')}`,
    );
    expect(documented.sort()).toEqual([...new Set(tested)].sort());
    expect((await t.anonymous.get('/docs')).status).toBe(200);
  });
});
