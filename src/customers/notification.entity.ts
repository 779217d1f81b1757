import { Check, Column, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn } from 'typeorm';
import { Case } from '../cases/case.entity.js';

export type NotificationKind = 'repeat_failure' | 'compensation_pending';

// Something a brand's managers (a role) or one person should look at. A notification to a role is
// the team's: the first who reads it marks it read for all.
@Entity('notification')
@Index('ix_notification_brand_created', ['brandId', 'createdAt'])
@Check('ck_notification_recipient', `recipient_role IS NOT NULL OR recipient_user IS NOT NULL`)
export class Notification {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column('text')
  brandId: string;

  @Column('text', { nullable: true })
  recipientRole: string | null;

  // A caller's id: a user's, or token:<name>.
  @Column('text', { nullable: true })
  recipientUser: string | null;

  @Column('text')
  kind: NotificationKind;

  @Column('uuid', { nullable: true })
  caseId: string | null;

  @ManyToOne(() => Case, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'case_id' })
  case?: Case;

  @Column('jsonb', { default: {} })
  data: Record<string, unknown>;

  @Column('timestamptz')
  createdAt: Date;

  @Column('timestamptz', { nullable: true })
  readAt: Date | null;

  @Column('text', { nullable: true })
  readBy: string | null;
}
