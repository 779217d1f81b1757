import { Column, Entity, Index, JoinColumn, ManyToOne, PrimaryColumn } from 'typeorm';
import { AppUser } from './user.entity.js';

// A signed-in browser. The cookie holds a random id; only its SHA-256 is stored, so a copy of the
// table signs nobody in.
@Entity('session')
@Index('ix_session_user', ['userId'])
@Index('ix_session_expires_at', ['expiresAt'])
export class Session {
  @PrimaryColumn('text')
  idHash: string;

  @Column('uuid')
  userId: string;

  @ManyToOne(() => AppUser, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'user_id' })
  user?: AppUser;

  @Column('timestamptz')
  createdAt: Date;

  @Column('timestamptz')
  lastSeenAt: Date;

  // Moves on with each request (auth.sessionIdleMinutes), never past expiresAt.
  @Column('timestamptz')
  idleExpiresAt: Date;

  // sign-in + auth.sessionMaxMinutes, however busy the session.
  @Column('timestamptz')
  expiresAt: Date;

  @Column('text', { nullable: true })
  ip: string | null;

  @Column('text', { nullable: true })
  userAgent: string | null;
}
