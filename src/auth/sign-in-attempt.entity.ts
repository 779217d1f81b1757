import { Check, Column, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';

export type SignInOutcome = 'pending' | 'failed' | 'succeeded' | 'throttled';

// Every sign-in (and password change) tried: the throttle counts failures here, in SQL, so every
// process running Paradox sees the same count. An attempt is written as pending before the
// password is checked, so attempts sent at once count each other.
@Entity('sign_in_attempt')
@Index('ix_sign_in_attempt_account', ['account', 'id'])
@Index('ix_sign_in_attempt_ip', ['ip', 'id'])
@Index('ix_sign_in_attempt_at', ['at'])
@Check('ck_sign_in_attempt_outcome', `"outcome" IN ('pending', 'failed', 'succeeded', 'throttled')`)
export class SignInAttempt {
  @PrimaryGeneratedColumn('increment', { type: 'bigint' })
  id: string;

  @Column('timestamptz')
  at: Date;

  // The user's id, or `login:<SHA-256 of what was typed, lowercased>` for a name no user has.
  @Column('text')
  account: string;

  @Column('text')
  ip: string;

  @Column('text')
  outcome: SignInOutcome;
}
