import { Column, Entity, Generated, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn } from 'typeorm';
import { Post } from '../sources/post.entity.js';
import { Case } from './case.entity.js';

export type CaseEventType =
  | 'claimed'
  | 'released'
  | 'transferred'
  | 'reply_queued'
  | 'reply_submitted'
  | 'reply_approved'
  | 'reply_rejected'
  | 'reply_published'
  | 'reply_failed'
  | 'acknowledged'
  | 'resolved'
  | 'follow_up_scheduled'
  | 'follow_up_sent'
  | 'answer_received'
  | 'recovered'
  | 'reopened'
  | 'sla_breached'
  | 'dismissed'
  | 'merged';

// What happened to a case, append-only. With the case's posts (thread_link) it makes the timeline.
@Entity('case_event')
@Index('ix_case_event_case_at', ['caseId', 'at'])
export class CaseEvent {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column('uuid')
  caseId: string;

  @ManyToOne(() => Case, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'case_id' })
  case?: Case;

  @Column('timestamptz')
  at: Date;

  // Events at the same instant keep the order they were written in.
  @Column('bigint')
  @Generated('increment')
  seq: string;

  @Column('text')
  type: CaseEventType;

  // Who did it: an agent's name, or 'paradox' for what the system did.
  @Column('text')
  actor: string;

  @Column('uuid', { nullable: true })
  postId: string | null;

  @ManyToOne(() => Post, { onDelete: 'SET NULL' })
  @JoinColumn({ name: 'post_id' })
  post?: Post;

  @Column('jsonb', { default: {} })
  data: Record<string, unknown>;
}
