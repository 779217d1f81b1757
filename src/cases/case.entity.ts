import { Column, CreateDateColumn, Entity, Generated, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn, UpdateDateColumn } from 'typeorm';
import { Team } from './team.entity.js';
import type { FirstTimeFixMiss } from '../customers/first-time-fix.js';
import { Customer } from '../customers/customer.entity.js';
import type { PriorityFactor } from '../customers/priority.js';

// dismissed (not a complaint) and merged (into another case of the customer) end a case outside
// the queue; neither takes new posts.
export const CASE_STATUSES = ['open', 'acknowledged', 'resolved', 'follow_up_sent', 'recovered', 'dismissed', 'merged'] as const;
export type CaseStatus = (typeof CASE_STATUSES)[number];
// A post from the same author on the same thread joins a case in one of these.
export const ACTIVE_STATUSES: readonly CaseStatus[] = ['open', 'acknowledged', 'resolved', 'follow_up_sent'];
export const QUEUE_STATUSES: readonly CaseStatus[] = ['open', 'acknowledged'];
// The predicate of uq_case_active_thread. Queries that should use the index repeat it word for
// word: PostgreSQL can prove that a query fits a partial index only from constants, never from
// a parameter.
export const ACTIVE_CASE = `status IN (${ACTIVE_STATUSES.map((s) => `'${s}'`).join(', ')})`;

@Entity('case')
@Index('uq_case_active_thread', ['brandId', 'authorId', 'threadRootExternalId'], {
  unique: true,
  where: ACTIVE_CASE,
})
@Index('ix_case_queue', ['status', 'priority', 'ackDueAt'])
// Most cases have no team: only those that do are indexed.
@Index('ix_case_team', ['teamId'], { where: 'team_id IS NOT NULL' })
// A customer's cases by when they opened: the history the repeat rule and the priority read.
@Index('ix_case_customer_created', ['customerId', 'createdAt'])
// The resolved cases a new complaint of the customer may take the first-time fix from.
@Index('ix_case_ftf_pending', ['customerId', 'resolvedAt'], { where: `first_time_fix_verdict = 'pending'` })
export class Case {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  // A short number agents can say aloud and customers can quote: C-42.
  @Column('integer', { unique: true })
  @Generated('increment')
  number: number;

  @Column('text')
  brandId: string;

  @Column('text')
  sourceId: string;

  @Column('text')
  platform: string;

  @Column('uuid')
  authorId: string;

  @Column('text')
  threadRootExternalId: string;

  @Column('uuid')
  firstPostId: string;

  @Column('text')
  language: string;

  @Column('text')
  status: CaseStatus;

  // The case's own factors (customers/priority.ts); the time left is added when the queue is read.
  @Column('integer')
  priority: number;

  // The SLA clocks run from the customer's post, or from the post that reopened the case.
  @Column('timestamptz', { nullable: true })
  slaStartedAt: Date | null;

  // The case was resolved, dismissed or merged: every clock still running stops here.
  @Column('timestamptz', { nullable: true })
  slaStoppedAt: Date | null;

  // Each published reply's wait for an approver, counted apart from the agent's time.
  @Column('jsonb', { default: [] })
  slaApprovalWaits: { from: string; to: string }[];
  @Column('jsonb', { default: [] })
  priorityWhy: PriorityFactor[];

  @Column('timestamptz')
  ackDueAt: Date;

  @Column('timestamptz', { nullable: true })
  acknowledgedAt: Date | null;

  // Breaches as the sweep records them, once each: the due time that passed.
  @Column('timestamptz', { nullable: true })
  ackBreachedAt: Date | null;

  @Column('timestamptz', { nullable: true })
  firstResponseDueAt: Date | null;

  @Column('timestamptz', { nullable: true })
  firstRespondedAt: Date | null;

  @Column('timestamptz', { nullable: true })
  firstResponseBreachedAt: Date | null;

  @Column('timestamptz', { nullable: true })
  resolutionDueAt: Date | null;

  @Column('timestamptz', { nullable: true })
  resolutionBreachedAt: Date | null;

  @Column('text', { nullable: true })
  claimedBy: string | null;

  @Column('timestamptz', { nullable: true })
  claimExpiresAt: Date | null;

  // The team the case was handed to; its queue shows the case.
  @Column('uuid', { nullable: true })
  teamId: string | null;

  @ManyToOne(() => Team, { onDelete: 'SET NULL' })
  @JoinColumn({ name: 'team_id' })
  team?: Team;

  // Handed from one holder or team to another: the first-time-fix rule reads it.
  @Column('integer', { default: 0 })
  transferCount: number;

  @Column('timestamptz', { nullable: true })
  resolvedAt: Date | null;

  @Column('text', { nullable: true })
  resolvedBy: string | null;

  @Column('text', { nullable: true })
  resolutionNote: string | null;

  // What the agent said when resolving; the rule's verdict is apart.
  @Column('boolean', { nullable: true })
  firstTimeFix: boolean | null;

  // 'pending' once resolved, 'no' after a transfer, a reopening or a new complaint on the topic;
  // 'yes' is read from 'pending' once the window has passed (customers/first-time-fix.ts).
  @Column('text', { nullable: true })
  firstTimeFixVerdict: 'pending' | 'no' | null;

  @Column('jsonb', { default: [] })
  firstTimeFixWhy: FirstTimeFixMiss[];

  @Column('timestamptz', { nullable: true })
  followUpDueAt: Date | null;

  @Column('timestamptz', { nullable: true })
  followUpSentAt: Date | null;

  @Column('timestamptz', { nullable: true })
  recoveredAt: Date | null;

  @Column('timestamptz', { nullable: true })
  reopenedAt: Date | null;

  @Column('integer', { default: 0 })
  reopenCount: number;

  @Column('timestamptz', { nullable: true })
  dismissedAt: Date | null;

  // The case of the same customer this one was merged into; its posts and events moved there.
  @Column('uuid', { nullable: true })
  mergedIntoId: string | null;

  @ManyToOne(() => Case, { onDelete: 'SET NULL' })
  @JoinColumn({ name: 'merged_into_id' })
  mergedInto?: Case;

  @Column('timestamptz', { nullable: true })
  mergedAt: Date | null;

  @Column('timestamptz')
  lastPostAt: Date;

  // The customer the author belongs to (a profile across channels), once known.
  @Column('uuid', { nullable: true })
  customerId: string | null;

  @ManyToOne(() => Customer, { onDelete: 'SET NULL' })
  @JoinColumn({ name: 'customer_id' })
  customer?: Customer;

  // The customer failed before within the brand's window: the paradox does not hold, so the case
  // escalates and no scripted apology is offered as it is.
  @Column('boolean', { default: false })
  repeatFailure: boolean;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt: Date;

  @UpdateDateColumn({ type: 'timestamptz' })
  updatedAt: Date;
}
