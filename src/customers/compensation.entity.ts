import { Check, Column, Entity, Index, JoinColumn, ManyToOne, PrimaryColumn, PrimaryGeneratedColumn } from 'typeorm';
import { Case } from '../cases/case.entity.js';

export type CompensationStatus = 'approved' | 'pending_manager' | 'rejected';

// bigint comes back from pg as text; amounts stay far below 2^53, so a number holds them exactly.
const minorUnits = { to: (v: number) => v, from: (v: string | null) => (v === null ? null : Number(v)) };

// A goodwill gesture offered on a case, counted against the offering agent's budget for the month.
@Entity('compensation')
@Index('ix_compensation_case', ['caseId'])
@Index('ix_compensation_brand_month', ['brandId', 'budgetMonth'])
@Check('ck_compensation_amount', `amount_minor > 0`)
export class Compensation {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column('text')
  brandId: string;

  @Column('uuid')
  caseId: string;

  @ManyToOne(() => Case, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'case_id' })
  case?: Case;

  // In minor units of the currency (cents): never a float.
  @Column('bigint', { transformer: minorUnits })
  amountMinor: number;

  @Column('text')
  currency: string;

  @Column('text')
  description: string;

  @Column('text')
  status: CompensationStatus;

  // YYYY-MM: the month whose budget it counts in.
  @Column('text')
  budgetMonth: string;

  @Column('text')
  offeredBy: string;

  @Column('text')
  offeredById: string;

  @Column('timestamptz')
  offeredAt: Date;

  @Column('text', { nullable: true })
  decidedBy: string | null;

  @Column('timestamptz', { nullable: true })
  decidedAt: Date | null;

  @Column('text', { nullable: true })
  decisionComment: string | null;
}

// What an agent has spent of a brand's goodwill budget in a month. The row is what two offers at
// once contend for: the conditional upsert that adds to it locks it.
@Entity('goodwill_spend')
export class GoodwillSpend {
  @PrimaryColumn('text')
  brandId: string;

  @PrimaryColumn('text')
  agentId: string;

  @PrimaryColumn('text')
  month: string;

  @Column('text')
  agent: string;

  @Column('bigint', { transformer: minorUnits })
  spentMinor: number;
}
