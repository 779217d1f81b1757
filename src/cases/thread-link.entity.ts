import { Column, Entity, Index, JoinColumn, ManyToOne, PrimaryColumn } from 'typeorm';
import { Case } from './case.entity.js';

// Every post and reply of a case by its platform id, so an answer in the thread finds its case.
// The posts of a case's timeline are read from here, not written twice as events.
@Entity('thread_link')
@Index('ix_thread_link_case', ['caseId'])
export class ThreadLink {
  @PrimaryColumn('text')
  platform: string;

  @PrimaryColumn('text')
  externalId: string;

  @Column('uuid')
  caseId: string;

  @ManyToOne(() => Case, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'case_id' })
  case?: Case;
}
