import { Logger } from '@nestjs/common';
import axios, { type AxiosInstance } from 'axios';
import type { DataSource, Repository } from 'typeorm';
import type { Clock } from '../../../common/clock.js';
import type { ResolvedSource } from '../../../config/app-config.js';
import type { FetchedPost } from '../../social-connector.js';
import { readFeedDocument } from './feed-entries.js';
import { FeedSubscription } from './feed-subscription.entity.js';
import { decodeFeed } from './rss.connector.js';
import { type HubLink, checkPushSignature, linkHeader, subscribeForm, subscriptionSecret } from './websub.js';

const HOUR_MS = 60 * 60_000;
// An active lease is renewed on the first poll within this of running out (or within half the
// lease, when that is shorter).
const RENEW_BEFORE_MS = 24 * HOUR_MS;
// A request the hub neither confirmed nor denied in this long is made again.
const VERIFY_WAIT_MS = 15 * 60_000;
// A hub that refused, or could not be reached, is asked again after this long.
const RETRY_AFTER_MS = HOUR_MS;
// What is kept of an error a hub sent (hub.reason is a stranger's text).
const MAX_ERROR = 500;

// The hub's intent verification (WebSub 5.3) as it arrived: GET <callback>?hub.mode=...
export interface IntentCheck {
  mode: string | undefined;
  topic: string | undefined;
  challenge: string | undefined;
  leaseSeconds: string | undefined;
  reason: string | undefined;
}

// What the callback answers the hub: a 200 with this body (the challenge echoed, or nothing for a
// denial taken note of), or null for a 404 when Paradox did not ask.
export type IntentAnswer = { body: string } | null;

// A content distribution request (WebSub 7) as it arrived.
export interface Push {
  signature: string | undefined;
  link: string | undefined;
  contentType: string | undefined;
  body: Buffer;
}

// taken: the entries to hand over; refused: acknowledged and ignored (a bad signature, another
// topic, not a feed), as WebSub asks; gone: no subscription here (410 tells the hub to drop it).
// A denial may be forged (anyone can call the callback): a push signed with the secret shows the
// subscription alive, so a denied one is not answered 410 but read when its signature holds.
export type PushOutcome = { outcome: 'taken'; posts: FetchedPost[] } | { outcome: 'refused'; reason: string } | { outcome: 'gone' };

// One feed source's side of WebSub: asks the hub the feed names to push it here, answers the
// hub's verification, and checks what the hub pushes. Paradox's callback for a source is
// <server.publicUrl>/websub/<source id>.
export class WebSubSubscriber {
  private readonly logger = new Logger(WebSubSubscriber.name);
  private readonly http: AxiosInstance;
  private readonly subscriptions: Repository<FeedSubscription>;

  constructor(
    private readonly source: ResolvedSource,
    // Read when needed: the address can be learned after start (a server listening on port 0).
    private readonly publicUrl: () => string | undefined,
    db: DataSource,
    private readonly clock: Clock,
  ) {
    this.subscriptions = db.getRepository(FeedSubscription);
    this.http = axios.create({ timeout: source.rss!.timeoutMs, validateStatus: () => true, maxRedirects: 0 });
  }

  private callbackUrl(): string | null {
    const base = this.publicUrl();
    return base ? `${base.replace(/\/+$/, '')}/websub/${encodeURIComponent(this.source.id)}` : null;
  }

  // After each poll: subscribes when the feed names a hub and there is no live subscription to it,
  // renews one whose lease runs out soon, and asks again after a refusal or silence. A hub that
  // fails never fails the poll: the feed is still polled, and the failure shows on the source.
  // `link` is the hub the feed names; null when it names none, and a subscription then lapses.
  async ensure(link: HubLink | null): Promise<void> {
    const callback = this.callbackUrl();
    if (!link || !callback || !this.source.rss!.websub) return;
    const now = this.clock.now();
    const current = await this.withSecret();
    const same = current?.hubUrl === link.hub && current.topicUrl === link.topic && current.callbackUrl === callback;
    if (same && !this.due(current, now)) return;
    // A renewal keeps the secret: the hub signs with the old one until it has verified the new request.
    const secret = same ? current.secret : subscriptionSecret();
    const renewing = same && current.status === 'active';
    await this.subscriptions.save({
      sourceId: this.source.id,
      hubUrl: link.hub,
      topicUrl: link.topic,
      callbackUrl: callback,
      secret,
      status: renewing ? 'active' : 'requested',
      requestedAt: now,
      ...(same ? {} : { verifiedAt: null, leaseExpiresAt: null, lastPushAt: null, pushes: 0, refusedPushes: 0, lastError: null, lastErrorAt: null }),
    });
    const hubHost = new URL(link.hub).host;
    try {
      const response = await this.http.post(link.hub, subscribeForm(link, callback, secret, this.source.rss!.leaseSeconds).toString(), {
        headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
        signal: AbortSignal.timeout(this.source.rss!.timeoutMs),
      });
      if (response.status >= 200 && response.status < 300) return;
      await this.failed(renewing, `the hub at ${hubHost} answered the subscription request with HTTP ${response.status}`, now);
    } catch (error) {
      await this.failed(renewing, `the hub at ${hubHost} could not be reached: ${(error as Error).message}`, now);
    }
  }

  // The hub asks whether Paradox wants the subscription (or tells it was denied). Only a request
  // Paradox made, for the topic it asked about, is confirmed.
  async verify(check: IntentCheck): Promise<IntentAnswer> {
    const current = await this.subscriptions.findOneBy({ sourceId: this.source.id });
    const ours = current?.topicUrl === check.topic ? current : null;
    const now = this.clock.now();
    if (check.mode === 'denied') {
      if (ours) {
        const why = check.reason ? `: ${check.reason}` : '';
        await this.subscriptions.update(this.source.id, { status: 'denied', lastError: `the hub denied the subscription${why}`.slice(0, MAX_ERROR), lastErrorAt: now });
        return { body: '' };
      }
      return null;
    }
    // Confirmed only shortly after Paradox asked: anyone can call the callback, and a forged
    // confirmation with a long lease would stop the renewals while the hub's lease runs out.
    const asked = !!ours && now.getTime() - ours.requestedAt.getTime() <= VERIFY_WAIT_MS;
    if (check.mode === 'subscribe' && asked && check.challenge && (ours.status === 'requested' || ours.status === 'active')) {
      const lease = Number(check.leaseSeconds);
      const wanted = this.source.rss!.leaseSeconds;
      // The hub may grant less than asked, never more than Paradox will renew.
      const seconds = Number.isInteger(lease) && lease > 0 ? Math.min(lease, wanted) : wanted;
      await this.subscriptions.update(this.source.id, { status: 'active', verifiedAt: now, leaseExpiresAt: new Date(now.getTime() + seconds * 1000) });
      return { body: check.challenge };
    }
    // Paradox never asks to unsubscribe from the feed it follows; a subscription it moved away
    // from (another hub or topic) may go.
    if (check.mode === 'unsubscribe' && check.challenge && !ours) return { body: check.challenge };
    return null;
  }

  // What the hub pushed: read only when signed with this subscription's secret, for its topic.
  async accept(push: Push): Promise<PushOutcome> {
    const current = await this.withSecret();
    if (!current) return { outcome: 'gone' };
    const now = this.clock.now();
    const signature = checkPushSignature(push.signature, current.secret, push.body);
    const self = linkHeader(push.link).find((l) => l.rels.includes('self'))?.url;
    let refusal = signature.ok ? null : signature.reason;
    if (!refusal && self && self !== current.topicUrl) refusal = 'the push is for another topic than the subscription';
    let posts: FetchedPost[] = [];
    if (!refusal) {
      try {
        posts = readFeedDocument(decodeFeed(push.body, push.contentType), { feedUrl: this.source.rss!.url, fetchedAt: now }).posts;
      } catch (error) {
        refusal = `the push is not a feed: ${(error as Error).message}`;
      }
    }
    if (refusal) {
      this.logger.warn(`source ${this.source.id}: a push was refused: ${refusal}`);
      await this.subscriptions.update(this.source.id, { refusedPushes: () => 'refused_pushes + 1', lastError: refusal.slice(0, MAX_ERROR), lastErrorAt: now });
      return { outcome: 'refused', reason: refusal };
    }
    // A signed push shows the subscription alive, whatever a denial said.
    const alive = current.status === 'denied' ? { status: 'active' as const, lastError: null, lastErrorAt: null } : {};
    await this.subscriptions.update(this.source.id, { pushes: () => 'pushes + 1', lastPushAt: now, ...alive });
    return { outcome: 'taken', posts };
  }

  // The secret is left out of every other read.
  private withSecret(): Promise<FeedSubscription | null> {
    return this.subscriptions.createQueryBuilder('s').addSelect('s.secret').where('s.source_id = :id', { id: this.source.id }).getOne();
  }

  private due(current: FeedSubscription, now: Date): boolean {
    const since = now.getTime() - current.requestedAt.getTime();
    switch (current.status) {
      case 'active': {
        if (!current.leaseExpiresAt || !current.verifiedAt) return true;
        const left = current.leaseExpiresAt.getTime() - now.getTime();
        const lease = current.leaseExpiresAt.getTime() - current.verifiedAt.getTime();
        return left < Math.min(RENEW_BEFORE_MS, lease / 2) && since > VERIFY_WAIT_MS;
      }
      case 'requested':
        return since > VERIFY_WAIT_MS;
      default:
        return since > RETRY_AFTER_MS;
    }
  }

  // A renewal that fails leaves the subscription active until its lease runs out.
  private async failed(renewing: boolean, message: string, now: Date): Promise<void> {
    this.logger.warn(`source ${this.source.id}: ${message}`);
    await this.subscriptions.update(this.source.id, { ...(renewing ? {} : { status: 'failed' as const }), lastError: message.slice(0, MAX_ERROR), lastErrorAt: now });
  }
}
