import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, type EntityManager } from 'typeorm';
import { AuditService } from '../audit/audit.service.js';
import { assertBrand, brandsFor, type Caller, hasRole } from '../auth/caller.js';
import { MANAGERS, WORKERS } from '../auth/roles.decorator.js';
import { CaseNotFoundError } from '../cases/case-errors.js';
import { Case } from '../cases/case.entity.js';
import { caseReference } from '../common/case-reference.js';
import { Clock } from '../common/clock.js';
import { AppConfig } from '../config/app-config.js';
import type { BrandConfig } from '../config/config.schema.js';
import { Compensation, type CompensationStatus } from './compensation.entity.js';
import { BrandNotFoundError, CompensationAmountError, CompensationCurrencyError, CompensationDecidedError, CompensationNotFoundError } from './customer-errors.js';
import { budgetLeft, budgetMonth, minorDigits, money, toMinorUnits } from './money.js';
import { NotificationsService } from './notifications.service.js';

// Budgets run per calendar month in the brand's business-hours time zone, else in UTC.
const budgetZone = (brand: BrandConfig) => brand.sla.businessHours?.timeZone ?? 'UTC';

interface CompensationRow extends Compensation {
  number: number;
}

// Goodwill offered on cases, within each agent's monthly budget; past it, a manager decides.
@Injectable()
export class GoodwillService {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly config: AppConfig,
    private readonly clock: Clock,
    private readonly audit: AuditService,
    private readonly notifications: NotificationsService,
  ) {}

  async offer(caller: Caller, caseId: string, input: { amount: string; currency?: string; description: string }) {
    return this.db.transaction(async (m) => {
      const c = await m.findOneBy(Case, { id: caseId });
      if (!c) throw new CaseNotFoundError(caseId);
      assertBrand(caller, WORKERS, c.brandId);
      const brand = this.config.brand(c.brandId);
      const { currency } = brand.goodwill;
      if (input.currency && input.currency !== currency) throw new CompensationCurrencyError(currency);
      const amountMinor = toMinorUnits(input.amount, currency);
      if (!amountMinor) throw new CompensationAmountError(currency, minorDigits(currency));
      const now = this.clock.now();
      const month = budgetMonth(now, budgetZone(brand));
      // A manager's own offers are not limited; an agent's must fit what is left this month.
      const limit = hasRole(caller, MANAGERS, c.brandId) ? null : budgetOf(brand);
      const fits = await this.spend(m, c.brandId, caller.id, caller.name, month, amountMinor, limit);
      const status: CompensationStatus = fits ? 'approved' : 'pending_manager';
      const k = await m.save(
        m.create(Compensation, { brandId: c.brandId, caseId, amountMinor, currency, description: input.description, status, budgetMonth: month, offeredBy: caller.name, offeredById: caller.id, offeredAt: now }),
      );
      if (!fits) {
        await this.notifications.notifyManagers(m, [{ brandId: c.brandId, kind: 'compensation_pending', caseId, data: { compensationId: k.id, offeredBy: caller.name, ...money(amountMinor, currency) } }]);
      }
      await this.audit.record(m, {
        actor: caller,
        action: 'compensation.offered',
        brandId: c.brandId,
        caseId,
        subject: `compensation:${k.id}`,
        data: { compensationId: k.id, ...money(amountMinor, currency), description: input.description, status, month },
      });
      return compensationView({ ...k, number: c.number });
    });
  }

  async approve(caller: Caller, id: string, comment?: string) {
    return this.decide(caller, id, 'approved', comment);
  }

  async reject(caller: Caller, id: string, comment?: string) {
    return this.decide(caller, id, 'rejected', comment);
  }

  private async decide(caller: Caller, id: string, status: 'approved' | 'rejected', comment?: string) {
    return this.db.transaction(async (m) => {
      // The row lock makes a second decision wait here, then see the first.
      const k = await m.createQueryBuilder(Compensation, 'k').setLock('pessimistic_write').where('k.id = :id', { id }).getOne();
      if (!k) throw new CompensationNotFoundError(id);
      assertBrand(caller, MANAGERS, k.brandId);
      if (k.status !== 'pending_manager') throw new CompensationDecidedError(k.status);
      // Approved past the budget, it still counts as the agent's spending that month.
      if (status === 'approved') await this.spend(m, k.brandId, k.offeredById, k.offeredBy, k.budgetMonth, k.amountMinor, null);
      const decidedAt = this.clock.now();
      await m.update(Compensation, id, { status, decidedBy: caller.name, decidedAt, decisionComment: comment ?? null });
      await this.audit.record(m, {
        actor: caller,
        action: `compensation.${status}`,
        brandId: k.brandId,
        caseId: k.caseId,
        subject: `compensation:${k.id}`,
        data: { compensationId: k.id, offeredBy: k.offeredBy, ...money(k.amountMinor, k.currency), comment: comment ?? null },
      });
      const { number } = await m.findOneByOrFail(Case, { id: k.caseId });
      return compensationView({ ...k, status, decidedBy: caller.name, decidedAt, decisionComment: comment ?? null, number });
    });
  }

  // Adds the amount to what the agent spent this month, but only if it fits the limit (none for a
  // manager): one conditional upsert, so two offers at once cannot both take the last of the
  // budget (the second waits for the row the first locked, then sees its total). fitsBudget in
  // money.ts is the same rule.
  private async spend(m: EntityManager, brandId: string, agentId: string, agent: string, month: string, amountMinor: number, limit: number | null): Promise<boolean> {
    const rows = await m.query(
      `INSERT INTO goodwill_spend (brand_id, agent_id, month, agent, spent_minor)
       SELECT $1, $2, $3, $4, $5::bigint WHERE $6::bigint IS NULL OR $5::bigint <= $6::bigint
       ON CONFLICT (brand_id, agent_id, month) DO UPDATE SET spent_minor = goodwill_spend.spent_minor + EXCLUDED.spent_minor, agent = EXCLUDED.agent
         WHERE $6::bigint IS NULL OR goodwill_spend.spent_minor + EXCLUDED.spent_minor <= $6::bigint
       RETURNING spent_minor`,
      [brandId, agentId, month, agent, amountMinor, limit],
    );
    return rows.length > 0;
  }

  // The caller's own budget this month, in each brand they work.
  async mine(caller: Caller) {
    const now = this.clock.now();
    const month = budgetMonth(now, 'UTC');
    const reach = brandsFor(caller, WORKERS);
    const brands = this.config.brands.filter((b) => reach === 'all' || reach.includes(b.id));
    const items = [];
    for (const brand of brands) {
      const brandMonth = budgetMonth(now, budgetZone(brand));
      const [row] = await this.totals(brand.id, brandMonth, caller.id);
      items.push(budgetView(brand, brandMonth, hasRole(caller, MANAGERS, brand.id), row ?? { agent_id: caller.id, agent: caller.name, spent: '0', pending: '0' }));
    }
    return { month, items };
  }

  // Every agent who offered something in the month, for a manager of the brand.
  async forManagers(caller: Caller, filter: { brand?: string; month?: string }) {
    const now = this.clock.now();
    const month = filter.month ?? budgetMonth(now, 'UTC');
    if (filter.brand && !this.config.brands.some((b) => b.id === filter.brand)) throw new BrandNotFoundError(filter.brand);
    if (filter.brand) assertBrand(caller, MANAGERS, filter.brand);
    const reach = brandsFor(caller, MANAGERS);
    const brands = this.config.brands.filter((b) => (filter.brand ? b.id === filter.brand : reach === 'all' || reach.includes(b.id)));
    const items = [];
    for (const brand of brands) {
      const brandMonth = filter.month ?? budgetMonth(now, budgetZone(brand));
      const rows = await this.totals(brand.id, brandMonth, null);
      items.push({ brandId: brand.id, month: brandMonth, currency: brand.goodwill.currency, budgetPerAgent: money(budgetOf(brand), brand.goodwill.currency), agents: rows.map((r) => budgetView(brand, brandMonth, false, r)) });
    }
    return { month, items };
  }

  // Spent (approved, from the ledger) and waiting for a manager, per agent.
  private async totals(brandId: string, month: string, agentId: string | null): Promise<TotalsRow[]> {
    return this.db.query(
      `SELECT agent_id, max(agent) AS agent, sum(spent)::text AS spent, sum(pending)::text AS pending FROM (
         SELECT agent_id, agent, spent_minor AS spent, 0 AS pending FROM goodwill_spend WHERE brand_id = $1 AND month = $2
         UNION ALL
         SELECT offered_by_id, offered_by, 0, amount_minor FROM compensation WHERE brand_id = $1 AND budget_month = $2 AND status = 'pending_manager'
       ) t WHERE $3::text IS NULL OR agent_id = $3 GROUP BY agent_id ORDER BY max(agent)`,
      [brandId, month, agentId],
    );
  }

  async forCase(caseId: string, m: EntityManager = this.db.manager) {
    const rows: CompensationRow[] = await m
      .createQueryBuilder(Compensation, 'k')
      .innerJoin(Case, 'c', 'c.id = k.caseId')
      .addSelect('c.number', 'number')
      .where('k.caseId = :caseId', { caseId })
      .orderBy('k.offeredAt', 'DESC')
      .getRawAndEntities()
      .then(({ entities, raw }) => entities.map((k, i) => ({ ...k, number: raw[i].number })));
    return rows.map(compensationView);
  }

  // Everything offered on the customer's cases, and the total given (approved) per currency.
  async forCustomer(customerId: string, m: EntityManager = this.db.manager) {
    const { entities, raw } = await m
      .createQueryBuilder(Compensation, 'k')
      .innerJoin(Case, 'c', 'c.id = k.caseId')
      .addSelect('c.number', 'number')
      .where('c.customerId = :customerId', { customerId })
      .orderBy('k.offeredAt', 'DESC')
      .getRawAndEntities();
    const items = entities.map((k, i) => compensationView({ ...k, number: raw[i].number }));
    const totals = new Map<string, number>();
    for (const k of entities) if (k.status === 'approved') totals.set(k.currency, (totals.get(k.currency) ?? 0) + k.amountMinor);
    return { total: [...totals].map(([currency, minor]) => money(minor, currency)), items };
  }
}

interface TotalsRow {
  agent_id: string;
  agent: string;
  spent: string;
  pending: string;
}

function budgetOf(brand: BrandConfig): number {
  return toMinorUnits(brand.goodwill.monthlyBudgetPerAgent, brand.goodwill.currency)!;
}

function budgetView(brand: BrandConfig, month: string, unlimited: boolean, row: TotalsRow) {
  const { currency } = brand.goodwill;
  const spent = Number(row.spent);
  return {
    brandId: brand.id,
    month,
    agentId: row.agent_id,
    agent: row.agent,
    currency,
    // A manager's own offers are not limited.
    budget: unlimited ? null : money(budgetOf(brand), currency),
    spent: money(spent, currency),
    left: unlimited ? null : money(budgetLeft(budgetOf(brand), spent), currency),
    pending: money(Number(row.pending), currency),
  };
}

function compensationView(k: CompensationRow) {
  return {
    id: k.id,
    brandId: k.brandId,
    caseId: k.caseId,
    caseReference: caseReference(k.number),
    ...money(k.amountMinor, k.currency),
    description: k.description,
    status: k.status,
    budgetMonth: k.budgetMonth,
    offeredBy: k.offeredBy,
    offeredAt: k.offeredAt,
    decidedBy: k.decidedBy,
    decidedAt: k.decidedAt,
    decisionComment: k.decisionComment,
  };
}
