import { Column, Entity, PrimaryColumn } from 'typeorm';

// What Paradox remembers of a configured source between polls and restarts.
@Entity('source_state')
export class SourceState {
  @PrimaryColumn('text')
  sourceId: string;

  @Column('text')
  platform: string;

  @Column('jsonb', { default: {} })
  cursor: Record<string, string>;

  @Column('text', { nullable: true })
  ownAccountId: string | null;

  @Column('text', { nullable: true })
  ownAccountHandle: string | null;

  @Column('boolean', { default: true })
  healthy: boolean;

  @Column('integer', { default: 0 })
  consecutiveFailures: number;

  @Column('timestamptz', { nullable: true })
  lastPolledAt: Date | null;

  @Column('timestamptz', { nullable: true })
  lastSuccessAt: Date | null;

  @Column('text', { nullable: true })
  lastError: string | null;

  @Column('timestamptz', { nullable: true })
  lastErrorAt: Date | null;

  @Column('timestamptz', { nullable: true })
  backoffUntil: Date | null;

  @Column('integer', { nullable: true })
  rateLimitRemaining: number | null;

  @Column('timestamptz', { nullable: true })
  rateLimitResetAt: Date | null;

  // One poller at a time per source, across processes: a lease taken by a conditional update.
  @Column('timestamptz', { nullable: true })
  leaseUntil: Date | null;

  @Column('integer', { default: 0 })
  postsIngested: number;

  // Credentials the platform hands out and rotates (X's refresh token): kept here so a restart
  // goes on with the newest. Never shown by the API.
  @Column('jsonb', { nullable: true, select: false })
  credentials: Record<string, string> | null;
}
