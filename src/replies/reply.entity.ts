import { Column, CreateDateColumn, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn } from 'typeorm';
import { Case } from '../cases/case.entity.js';

export const REPLY_KINDS = ['acknowledgement', 'apology', 'question', 'resolution', 'follow_up'] as const;
export type ReplyKind = (typeof REPLY_KINDS)[number];
// pending_approval waits for an approver (the publisher never takes it); approved, it is queued;
// rejected, it goes back to its author, who writes a new one.
export type ReplyStatus = 'pending_approval' | 'rejected' | 'queued' | 'published' | 'failed';

// The outbox: a reply is written here first and stays until the platform confirms it.
@Entity('reply')
@Index('ix_reply_due', ['status', 'notBefore'])
export class Reply {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column('uuid')
  caseId: string;

  @ManyToOne(() => Case, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'case_id' })
  case?: Case;

  @Column('text')
  sourceId: string;

  @Column('text')
  platform: string;

  @Column('text')
  kind: ReplyKind;

  @Column('text')
  text: string;

  @Column('text')
  language: string;

  @Column('text')
  visibility: string;

  @Column('text')
  inReplyToExternalId: string;

  @Column('text')
  inReplyToHandle: string;

  // Sent with every attempt, so a retry after a crash is recognised by the platform.
  @Column('uuid', { unique: true })
  idempotencyKey: string;

  @Column('text')
  status: ReplyStatus;

  // Paradox cannot post on this channel (a feed, a form without a callback): the reply waits in
  // the outbox for an agent to post it by hand and record it; the publisher never takes it.
  @Column('boolean', { default: false })
  manual: boolean;

  // Who recorded a reply posted by hand; null for one the publisher posted.
  @Column('text', { nullable: true })
  publishedBy: string | null;

  @Column('timestamptz')
  notBefore: Date;

  @Column('integer', { default: 0 })
  attempts: number;

  // A publisher holds the reply until then; after a crash another may take it.
  @Column('timestamptz', { nullable: true })
  leaseUntil: Date | null;

  @Column('text', { nullable: true })
  lastError: string | null;

  // When the agent sent it for approval, and when an approver let it go: the wait between
  // is counted apart from the agent's time.
  @Column('timestamptz', { nullable: true })
  submittedAt: Date | null;

  @Column('timestamptz', { nullable: true })
  approvedAt: Date | null;

  @Column('text', { nullable: true })
  approvedBy: string | null;

  // Why the brand's policy asked for an approver: 'every public reply', 'words: refund'.
  @Column('jsonb', { nullable: true })
  approvalReasons: string[] | null;

  // The author's text, kept when an approver changed it before approving; text is what goes out.
  @Column('text', { nullable: true })
  originalText: string | null;

  @Column('timestamptz', { nullable: true })
  rejectedAt: Date | null;

  @Column('text', { nullable: true })
  rejectedBy: string | null;

  // The approver's word to the author: required with a rejection, optional with an approval.
  @Column('text', { nullable: true })
  approverComment: string | null;

  @Column('text', { nullable: true })
  externalId: string | null;

  @Column('text', { nullable: true })
  externalUrl: string | null;

  @Column('timestamptz', { nullable: true })
  publishedAt: Date | null;

  @Column('text')
  createdBy: string;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt: Date;
}
