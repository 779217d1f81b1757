import { Column, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';

// One thing a person (or Paradox) did: who, what, where and when, with the text as it was. The
// table is append-only: the database refuses UPDATE, DELETE and TRUNCATE on it.
@Entity('audit_entry')
@Index('ix_audit_entry_at', ['at'])
@Index('ix_audit_entry_case_at', ['caseId', 'at'])
@Index('ix_audit_entry_brand_at', ['brandId', 'at'])
export class AuditEntry {
  @PrimaryGeneratedColumn('increment', { type: 'bigint' })
  id: string;

  @Column('timestamptz')
  at: Date;

  // The user's id, `token:<name>`, or 'paradox' for what the system did.
  @Column('text')
  actorId: string;

  @Column('text')
  actor: string;

  // <thing>.<verb>: case.claimed, reply.approved, settings.changed, ...
  @Column('text')
  action: string;

  @Column('text', { nullable: true })
  brandId: string | null;

  @Column('uuid', { nullable: true })
  caseId: string | null;

  @Column('uuid', { nullable: true })
  replyId: string | null;

  // What else the action was about: a user, a template, a token, a customer.
  @Column('text', { nullable: true })
  subject: string | null;

  @Column('jsonb', { default: {} })
  data: Record<string, unknown>;
}
