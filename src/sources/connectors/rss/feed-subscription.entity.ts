import { Column, Entity, PrimaryColumn } from 'typeorm';

export const SUBSCRIPTION_STATUSES = ['requested', 'active', 'denied', 'failed'] as const;
export type SubscriptionStatus = (typeof SUBSCRIPTION_STATUSES)[number];

// A feed source's WebSub subscription: the hub that pushes the feed's changes to Paradox, and the
// secret it signs them with. One per source; a feed that moves to another hub replaces it.
@Entity('feed_subscription')
export class FeedSubscription {
  @PrimaryColumn('text')
  sourceId: string;

  @Column('text')
  hubUrl: string;

  // The feed's canonical URL, as the hub knows it.
  @Column('text')
  topicUrl: string;

  @Column('text')
  callbackUrl: string;

  // Kept across restarts: the hub signs with it until the lease runs out. Never shown by the API.
  @Column('text', { select: false })
  secret: string;

  // requested: asked, the hub has not confirmed; active: the hub verified the intent; denied: the
  // hub refused; failed: the request itself failed.
  @Column('text')
  status: SubscriptionStatus;

  @Column('timestamptz')
  requestedAt: Date;

  @Column('timestamptz', { nullable: true })
  verifiedAt: Date | null;

  @Column('timestamptz', { nullable: true })
  leaseExpiresAt: Date | null;

  @Column('timestamptz', { nullable: true })
  lastPushAt: Date | null;

  @Column('integer', { default: 0 })
  pushes: number;

  // Pushes whose signature did not hold or whose body was not the feed: acknowledged, not read.
  @Column('integer', { default: 0 })
  refusedPushes: number;

  @Column('text', { nullable: true })
  lastError: string | null;

  @Column('timestamptz', { nullable: true })
  lastErrorAt: Date | null;
}
