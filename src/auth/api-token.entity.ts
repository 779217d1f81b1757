import { Check, Column, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn } from 'typeorm';
import type { Grant } from './caller.js';
import { AppUser } from './user.entity.js';

// A bearer token for an integration. It acts as a user (and holds that user's roles as they
// change) or holds grants of its own. Only the SHA-256 of the token is stored: it has 256 random
// bits, so a fast hash is enough.
@Entity('api_token')
@Index('uq_api_token_name', ['name'], { unique: true })
@Index('uq_api_token_hash', ['tokenHash'], { unique: true })
@Check('ck_api_token_acts_as', `("user_id" IS NULL) <> ("grants" IS NULL)`)
export class ApiToken {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column('text')
  name: string;

  @Column('text')
  tokenHash: string;

  @Column('uuid', { nullable: true })
  userId: string | null;

  @ManyToOne(() => AppUser, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'user_id' })
  user?: AppUser;

  @Column('jsonb', { nullable: true })
  grants: Grant[] | null;

  // Who made it: the caller's id and name.
  @Column('text')
  createdById: string;

  @Column('text')
  createdBy: string;

  @Column('timestamptz')
  createdAt: Date;

  // Written at most once a minute, not on every request.
  @Column('timestamptz', { nullable: true })
  lastUsedAt: Date | null;

  @Column('timestamptz', { nullable: true })
  expiresAt: Date | null;

  @Column('timestamptz', { nullable: true })
  revokedAt: Date | null;

  @Column('text', { nullable: true })
  revokedBy: string | null;
}
