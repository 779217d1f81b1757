import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ConfigError, loadConfig } from '../../src/config/config.loader.js';
import { IngestService } from '../../src/sources/ingest.service.js';
import { PROJECT_ROOT } from '../support/paths.js';
import { TestClock } from '../support/test-clock.js';
import { mastodonSource, startTestApp, type TestApp } from '../support/test-app.js';

const START = new Date('2026-11-20T09:00:00Z');
const COMPLAINT = '@acme my parcel still has not arrived after three weeks, this is ridiculous';

describe('the goodwill budget', () => {
  let t: TestApp;
  let clock: TestClock;
  let caseId: string;
  let customerId: string;
  const offer = (role: 'agent' | 'agent2' | 'manager', amount: unknown, extra: Record<string, unknown> = {}) =>
    t.as(role).post(`/cases/${caseId}/compensations`, { amount, description: 'Shipping refunded', ...extra });

  beforeAll(async () => {
    clock = new TestClock(START);
    const file = mastodonSource('http://127.0.0.1:9');
    file.brands[0] = { ...file.brands[0], goodwill: { currency: 'EUR', monthlyBudgetPerAgent: '100.00' } } as (typeof file.brands)[0];
    t = await startTestApp(file, { clock, env: { T_MASTODON: 'unused' } });
    const post = { externalId: 'g-1', url: null, text: COMPLAINT, language: 'en', visibility: 'public' as const, postedAt: START, inReplyToExternalId: null, author: { externalId: 'a-1', handle: '@anna', displayName: 'Anna', followers: 3 }, raw: {} };
    [caseId] = (await t.app.get(IngestService).ingest(t.config.sources[0], 'mastodon', [post], {}, '@acme')).opened;
    customerId = (await t.as('agent').get(`/cases/${caseId}`)).data.customer.id;
  });

  afterAll(async () => {
    await t?.close();
  });

  it("approves an offer within the agent's budget for the month, in cents", async () => {
    const first = await offer('agent', '60.50');
    expect(first.status).toBe(201);
    expect(first.data).toMatchObject({ amountMinor: 6050, amount: '60.50', currency: 'EUR', status: 'approved', budgetMonth: '2026-11', offeredBy: 'alice' });
    const mine = await t.as('agent').get('/budgets/me');
    expect(mine.data).toMatchObject({ month: '2026-11', items: [{ brandId: 'acme', budget: { amount: '100.00' }, spent: { amount: '60.50' }, left: { amountMinor: 3950 }, pending: { amountMinor: 0 } }] });
  });

  it('sends an offer past the budget to a manager: 201 pending_manager, and the managers are told', async () => {
    const over = await offer('agent', 40);
    expect(over.status).toBe(201);
    expect(over.data).toMatchObject({ amount: '40.00', status: 'pending_manager' });
    const mine = await t.as('agent').get('/budgets/me');
    expect(mine.data.items[0]).toMatchObject({ spent: { amount: '60.50' }, left: { amount: '39.50' }, pending: { amount: '40.00' } });
    const inbox = await t.as('manager').get('/notifications');
    expect(inbox.data.items).toEqual([expect.objectContaining({ kind: 'compensation_pending', caseId, data: expect.objectContaining({ compensationId: over.data.id, offeredBy: 'alice', amount: '40.00' }) })]);

    const approved = await t.as('manager').post(`/compensations/${over.data.id}/approve`, { comment: 'Fair: she waited three weeks' });
    expect(approved.status).toBe(200);
    expect(approved.data).toMatchObject({ status: 'approved', decidedBy: 'maria', decisionComment: 'Fair: she waited three weeks' });
    // Approved past the budget, it counts as the agent's spending all the same.
    expect((await t.as('agent').get('/budgets/me')).data.items[0]).toMatchObject({ spent: { amount: '100.50' }, left: { amount: '-0.50' }, pending: { amountMinor: 0 } });

    const twice = await t.as('manager').post(`/compensations/${over.data.id}/reject`, {});
    expect(twice.status).toBe(409);
    expect(twice.data.code).toBe('COMPENSATION.ALREADY_DECIDED');
  });

  it('lets a manager reject an offer, which spends nothing', async () => {
    const over = await offer('agent', '5.00');
    expect(over.data.status).toBe('pending_manager');
    expect((await t.as('agent').post(`/compensations/${over.data.id}/approve`, {})).status).toBe(403);
    const rejected = await t.as('manager').post(`/compensations/${over.data.id}/reject`, { comment: 'Already compensated' });
    expect(rejected.data).toMatchObject({ status: 'rejected', decidedBy: 'maria' });
    expect((await t.as('agent').get('/budgets/me')).data.items[0]).toMatchObject({ spent: { amount: '100.50' }, pending: { amountMinor: 0 } });
    expect((await t.as('manager').post('/compensations/00000000-0000-4000-8000-000000000000/approve', {})).data.code).toBe('COMPENSATION.NOT_FOUND');
  });

  it("does not limit a manager's own offers", async () => {
    const big = await offer('manager', '500');
    expect(big.data).toMatchObject({ status: 'approved', amount: '500.00', offeredBy: 'maria' });
    expect((await t.as('manager').get('/budgets/me')).data.items[0]).toMatchObject({ budget: null, left: null, spent: { amount: '500.00' } });
  });

  it('lets only as many of five offers at once through as the budget holds', async () => {
    // bob has 100.00: three offers of 30.00 fit, the other two wait for a manager.
    const results = await Promise.all(Array.from({ length: 5 }, () => offer('agent2', '30.00')));
    expect(results.map((r) => r.status)).toEqual([201, 201, 201, 201, 201]);
    const statuses = results.map((r) => r.data.status).sort();
    expect(statuses).toEqual(['approved', 'approved', 'approved', 'pending_manager', 'pending_manager']);
    expect((await t.as('agent2').get('/budgets/me')).data.items[0]).toMatchObject({ spent: { amount: '90.00' }, left: { amount: '10.00' }, pending: { amount: '60.00' } });
  });

  it("starts a new month's budget on the first of the month", async () => {
    clock.set(new Date('2026-12-01T00:00:01Z'));
    const december = await offer('agent', '99.99');
    expect(december.data).toMatchObject({ status: 'approved', budgetMonth: '2026-12' });
  });

  it("shows managers each agent's spending in a month", async () => {
    const november = await t.as('manager').get('/budgets', { params: { brand: 'acme', month: '2026-11' } });
    expect(november.status).toBe(200);
    expect(november.data.items[0]).toMatchObject({ brandId: 'acme', currency: 'EUR', budgetPerAgent: { amount: '100.00' } });
    expect(november.data.items[0].agents.map((a: Record<string, any>) => [a.agent, a.spent.amount, a.left.amount, a.pending.amount])).toEqual([
      ['alice', '100.50', '-0.50', '0.00'],
      ['bob', '90.00', '10.00', '60.00'],
      ['maria', '500.00', '-400.00', '0.00'],
    ]);
    expect((await t.as('agent').get('/budgets')).status).toBe(403);
    const badMonth = await t.as('manager').get('/budgets', { params: { month: '2026-13' } });
    expect(badMonth.status).toBe(400);
    expect(badMonth.data.fields[0].field).toBe('month');
    expect((await t.as('manager').get('/budgets', { params: { brand: 'nope' } })).data.code).toBe('BRAND.NOT_FOUND');
  });

  it('shows the compensation given on the case and on the customer, approved ones in the total', async () => {
    const c = (await t.as('agent').get(`/cases/${caseId}`)).data;
    expect(c.compensations).toHaveLength(10);
    const profile = (await t.as('agent').get(`/customers/${customerId}`)).data;
    // 60.50 + 40.00 + 500.00 + 3 × 30.00 + 99.99; the rejected 5.00 and the two pending 30.00 not.
    expect(profile.compensation.total).toEqual([{ amountMinor: 79049, amount: '790.49', currency: 'EUR' }]);
    expect(profile.compensation.items.map((k: { status: string }) => k.status)).toContain('rejected');
  });

  it('refuses an amount or currency the budget cannot take, naming the field, and records nothing', async () => {
    const cents = await offer('agent', '12.345');
    expect(cents.status).toBe(400);
    expect(cents.data).toMatchObject({ code: 'COMPENSATION.AMOUNT', field: 'amount' });
    const zero = await offer('agent', '0.00');
    expect(zero.data).toMatchObject({ code: 'COMPENSATION.AMOUNT', field: 'amount' });
    const words = await offer('agent', 'ten euro');
    expect(words.status).toBe(400);
    expect(words.data.fields[0].field).toBe('amount');
    const negative = await offer('agent', -5);
    expect(negative.data.fields[0].field).toBe('amount');
    const dollars = await offer('agent', '10', { currency: 'USD' });
    expect(dollars.data).toMatchObject({ code: 'COMPENSATION.CURRENCY', field: 'currency' });
    const missing = await t.as('agent').post(`/cases/${caseId}/compensations`, { amount: '10' });
    expect(missing.data.fields[0].field).toBe('description');
    expect((await t.as('agent').post('/cases/00000000-0000-4000-8000-000000000000/compensations', { amount: '1', description: 'x' })).data.code).toBe('CASE.NOT_FOUND');
    expect((await t.as('approver').post(`/cases/${caseId}/compensations`, { amount: '1', description: 'x' })).status).toBe(403);
    expect((await t.as('agent').get(`/cases/${caseId}`)).data.compensations).toHaveLength(10);
  });

  it('records who offered, approved and rejected, with the amounts', async () => {
    const audit = (await t.as('manager').get('/audit', { params: { caseId } })).data.items as Record<string, any>[];
    const actions = audit.map((e) => e.action);
    expect(actions.filter((a) => a === 'compensation.offered')).toHaveLength(10);
    expect(audit.filter((e) => e.action !== 'compensation.offered').map((e) => [e.action, e.actor, e.data.amount])).toEqual([
      ['compensation.approved', 'maria', '40.00'],
      ['compensation.rejected', 'maria', '5.00'],
    ]);
  });
});

describe('the goodwill settings', () => {
  const load = (goodwill: unknown) => {
    const dir = mkdtempSync(join(tmpdir(), 'paradox-config-'));
    const file = join(dir, 'paradox.json');
    writeFileSync(file, JSON.stringify({ brands: [{ id: 'acme', name: 'Acme', goodwill }] }));
    return () => loadConfig({ PARADOX_CONFIG: file }, PROJECT_ROOT);
  };
  const error = (goodwill: unknown) => {
    try {
      load(goodwill)();
    } catch (e) {
      if (e instanceof ConfigError) return e;
      throw e;
    }
    throw new Error('the config loaded');
  };

  it('defaults to euros and no budget, so every offer of an agent goes to a manager', () => {
    expect(load(undefined)().brand('acme').goodwill).toMatchObject({ currency: 'EUR', monthlyBudgetPerAgent: '0' });
    expect(load({ currency: 'JPY', monthlyBudgetPerAgent: 5000 })().brand('acme').goodwill).toMatchObject({ currency: 'JPY', monthlyBudgetPerAgent: '5000' });
  });

  it('refuses an unknown currency and an amount finer than the currency', () => {
    expect(error({ currency: 'EUROS' })).toMatchObject({ key: 'brands[0].goodwill.currency' });
    expect(error({ currency: 'XYZ' })).toMatchObject({ key: 'brands[0].goodwill.currency' });
    expect(error({ currency: 'EUR', monthlyBudgetPerAgent: '10.005' })).toMatchObject({ key: 'brands[0].goodwill.monthlyBudgetPerAgent' });
    expect(error({ currency: 'JPY', monthlyBudgetPerAgent: 10.5 })).toMatchObject({ key: 'brands[0].goodwill.monthlyBudgetPerAgent' });
    expect(error({ monthlyBudgetPerAgent: -1 })).toMatchObject({ key: 'brands[0].goodwill.monthlyBudgetPerAgent' });
  });
});
