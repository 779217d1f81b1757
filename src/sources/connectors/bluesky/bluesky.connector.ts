import { AppBskyFeedDefs, AppBskyFeedPost, AtpAgent, RichText, XRPCError, type AppBskyNotificationListNotifications } from '@atproto/api';
import { TID } from '@atproto/common-web';
import type { ResolvedSource } from '../../../config/app-config.js';
import { ConnectorError } from '../../connector-error.js';
import {
  type FetchPage,
  type FetchedPost,
  type OwnAccount,
  type PublishedReply,
  type RateLimitState,
  type ReplyRequest,
  type ReplyRules,
  SocialConnector,
  addressedText,
} from '../../social-connector.js';

const NOTIFICATIONS = 'notifications';
const searchKey = (keyword: string) => `search:${keyword}`;
// Notifications that are posts someone addressed to the brand.
const POST_REASONS = new Set(['mention', 'reply', 'quote']);
// Both feeds are served newest first with no way to ask for "after": a poll reads back to where
// the last one stopped, at most this many pages.
const MAX_PAGES = 10;
const POST_COLLECTION = 'app.bsky.feed.post';

// Bluesky through the AT Protocol (the official @atproto/api client): the brand account's
// mentions, replies and quotes, keyword searches, and replies threaded with root and parent.
export class BlueskyConnector extends SocialConnector {
  readonly platform = 'bluesky';
  // 300 is Bluesky's limit in graphemes; counting code points (as the reply check does) is stricter.
  readonly replyRules: ReplyRules = { maxLength: 300, idempotent: true, addressesAuthor: true, manual: false };
  private readonly agent: AtpAgent;
  private signingIn: Promise<void> | null = null;
  // Set when the platform refused the session: the next request signs in again.
  private sessionRefused = false;
  private rateLimit: RateLimitState | null = null;

  constructor(private readonly source: ResolvedSource) {
    super();
    const settings = source.bluesky!;
    this.agent = new AtpAgent({ service: settings.service, fetch: this.timedFetch(settings.timeoutMs) });
  }

  async ownAccount(): Promise<OwnAccount> {
    await this.signedIn();
    const session = this.agent.session!;
    return { externalId: session.did, handle: `@${session.handle}` };
  }

  async fetchNew(cursor: Record<string, string>): Promise<FetchPage> {
    await this.signedIn();
    const settings = this.source.bluesky!;
    const next = { ...cursor };
    const posts: FetchedPost[] = [];

    const mentions = await this.readBack<AppBskyNotificationListNotifications.Notification>(cursor[NOTIFICATIONS], async (page) => {
      const { data } = await this.call(() => this.agent.listNotifications({ limit: settings.pageSize, cursor: page }));
      return { items: data.notifications, next: data.cursor };
    });
    for (const n of mentions.items) {
      const record = POST_REASONS.has(n.reason) ? postRecord(n.record) : null;
      if (record) posts.push(toPost(n.uri, n.author, record, n.indexedAt, n));
    }
    if (mentions.newest) next[NOTIFICATIONS] = mentions.newest;

    for (const keyword of settings.keywords) {
      const found = await this.readBack<AppBskyFeedDefs.PostView>(cursor[searchKey(keyword)], async (page) => {
        const { data } = await this.call(() => this.agent.app.bsky.feed.searchPosts({ q: keyword, sort: 'latest', limit: settings.pageSize, cursor: page }));
        return { items: data.posts, next: data.cursor };
      });
      for (const p of found.items) {
        const record = postRecord(p.record);
        if (record) posts.push(toPost(p.uri, p.author, record, p.indexedAt, p));
      }
      if (found.newest) next[searchKey(keyword)] = found.newest;
    }
    // A post can be a mention and a search hit at once: keep it once.
    const unique = [...new Map(posts.map((p) => [p.externalId, p])).values()];
    return { posts: unique, cursor: next, hasMore: false, rateLimit: this.rateLimit };
  }

  // The post's parents up to the root and the replies below it (app.bsky.feed.getPostThread).
  async fetchThread(externalId: string): Promise<FetchedPost[]> {
    await this.signedIn();
    const { data } = await this.call(() => this.agent.getPostThread({ uri: externalId, depth: 6, parentHeight: 80 }));
    const asPost = (node: AppBskyFeedDefs.ThreadViewPost) => {
      const record = postRecord(node.post.record);
      return record ? [toPost(node.post.uri, node.post.author, record, node.post.indexedAt, node.post)] : [];
    };
    const below = (node: AppBskyFeedDefs.ThreadViewPost): FetchedPost[] => [...asPost(node), ...(node.replies ?? []).map(threadView).flatMap((r) => (r ? below(r) : []))];
    const start = threadView(data.thread);
    if (!start) return [];
    const above: FetchedPost[] = [];
    for (let parent = threadView(start.parent); parent; parent = threadView(parent.parent)) above.unshift(...asPost(parent));
    return [...above, ...below(start)];
  }

  // The reply record gets a key derived from the reply itself: a retry writes the same record
  // under the same key (putRecord), so however often it is sent, there is one reply.
  async postReply(reply: ReplyRequest): Promise<PublishedReply> {
    await this.signedIn();
    const session = this.agent.session!;
    const { data } = await this.call(() => this.agent.getPosts({ uris: [reply.inReplyTo.externalId] }));
    const parent = data.posts[0];
    if (!parent) throw new ConnectorError('BAD_RESPONSE', `the post ${reply.inReplyTo.externalId} is gone`);
    const parentRef = { uri: parent.uri, cid: parent.cid };
    // The thread's root: the parent's own root when the parent is a reply itself.
    const rootRef = postRecord(parent.record)?.reply?.root ?? parentRef;
    const text = new RichText({ text: addressedText(reply.text, reply.inReplyTo.authorHandle) });
    // Mentions become facets (UTF-8 byte ranges with the account's DID), so Bluesky notifies them.
    await this.call(() => text.detectFacets(this.agent));
    const rkey = replyRecordKey(reply);
    const record: AppBskyFeedPost.Record = {
      $type: POST_COLLECTION,
      text: text.text,
      facets: text.facets,
      reply: { root: rootRef, parent: parentRef },
      langs: reply.language ? [reply.language] : undefined,
      createdAt: reply.createdAt.toISOString(),
    };
    const written = await this.call(() => this.agent.com.atproto.repo.putRecord({ repo: session.did, collection: POST_COLLECTION, rkey, record }));
    return { externalId: written.data.uri, url: postUrl(session.handle, rkey) };
  }

  // Reads a newest-first feed back from the newest item until it reaches `since` (the newest
  // time the last poll saw), or MAX_PAGES. The first poll takes the newest page only. Items at
  // exactly `since` come again and are dropped as duplicates by the store.
  private async readBack<T extends { indexedAt: string }>(since: string | undefined, page: (cursor?: string) => Promise<{ items: T[]; next?: string }>) {
    const items: T[] = [];
    let next: string | undefined;
    for (let n = 0; n < MAX_PAGES; n++) {
      const answer = await page(next);
      if (!Array.isArray(answer.items) || answer.items.some((i) => typeof i?.indexedAt !== 'string')) {
        throw new ConnectorError('BAD_RESPONSE', 'a feed page without a list of indexed items');
      }
      const fresh = since ? answer.items.filter((i) => i.indexedAt >= since) : answer.items;
      items.push(...fresh);
      if (!since || fresh.length < answer.items.length || !answer.next) break;
      next = answer.next;
    }
    const newest = items.reduce<string | undefined>((max, i) => (max === undefined || i.indexedAt > max ? i.indexedAt : max), since);
    return { items, newest };
  }

  // One sign-in at a time; the agent refreshes the session itself when its token expires.
  private async signedIn(): Promise<void> {
    if (this.agent.hasSession && !this.sessionRefused) return;
    this.signingIn ??= this.call(async () => {
      await this.agent.login({ identifier: this.source.bluesky!.identifier, password: this.source.accessToken ?? '' });
      this.sessionRefused = false;
    }).finally(() => {
      this.signingIn = null;
    });
    return this.signingIn;
  }

  // Every platform failure becomes a ConnectorError; the rate-limit headers are kept either way.
  private async call<T>(request: () => Promise<T>): Promise<T> {
    try {
      const result = await request();
      this.rateLimit = readRateLimit((result as { headers?: Record<string, string | undefined> })?.headers) ?? this.rateLimit;
      return result;
    } catch (error) {
      const failure = toConnectorError(error, (limit) => (this.rateLimit = limit ?? this.rateLimit));
      if (failure.code === 'AUTH_EXPIRED') this.sessionRefused = true;
      throw failure;
    }
  }

  private timedFetch(timeoutMs: number): typeof fetch {
    return (input, init) => fetch(input, { ...init, signal: init?.signal ? AbortSignal.any([init.signal, AbortSignal.timeout(timeoutMs)]) : AbortSignal.timeout(timeoutMs) });
  }
}

function toConnectorError(error: unknown, keep: (limit: RateLimitState | null) => void): ConnectorError {
  if (error instanceof ConnectorError) return error;
  if (error instanceof XRPCError) {
    const limit = readRateLimit(error.headers);
    keep(limit);
    const status = Number(error.status);
    const what = `${status} ${error.error}: ${error.message}`;
    if (status === 429) return new ConnectorError('RATE_LIMITED', what, limit?.resetAt ?? new Date(Date.now() + 60_000));
    if (status === 401 || status === 403 || ['ExpiredToken', 'InvalidToken', 'AuthenticationRequired', 'AccountTakedown'].includes(error.error)) {
      return new ConnectorError('AUTH_EXPIRED', what);
    }
    // The client answers 1 for a network failure or timeout and 2 for a body the lexicon refuses.
    if (status === 2) return new ConnectorError('BAD_RESPONSE', what);
    if (status >= 500 || status === 408 || status < 100) return new ConnectorError('TEMPORARY', what);
    return new ConnectorError('BAD_RESPONSE', what);
  }
  return new ConnectorError('TEMPORARY', error instanceof Error ? error.message : String(error));
}

// Bluesky sends the reset as epoch seconds.
function readRateLimit(headers: Record<string, string | undefined> | undefined): RateLimitState | null {
  if (!headers || headers['ratelimit-remaining'] === undefined) return null;
  const remaining = Number(headers['ratelimit-remaining']);
  const reset = Number(headers['ratelimit-reset']);
  return { remaining: Number.isFinite(remaining) ? remaining : null, resetAt: Number.isFinite(reset) ? new Date(reset * 1000) : null };
}

// A TID (the key Bluesky posts use) made from the reply's creation time and, as its clock id,
// ten bits of its idempotency key: the same reply always gets the same key.
function replyRecordKey(reply: Pick<ReplyRequest, 'createdAt' | 'idempotencyKey'>): string {
  const clockId = Number.parseInt(reply.idempotencyKey.replaceAll('-', '').slice(-3), 16) % 1024;
  return TID.fromTime(reply.createdAt.getTime() * 1000, clockId).toString();
}

// A thread node that is a post (not one blocked or deleted), or null.
function threadView(node: unknown): AppBskyFeedDefs.ThreadViewPost | null {
  return AppBskyFeedDefs.isThreadViewPost(node) ? (node as AppBskyFeedDefs.ThreadViewPost) : null;
}

// A post record that holds to the lexicon, or null: one odd record is skipped, not the page.
function postRecord(record: unknown): AppBskyFeedPost.Record | null {
  return AppBskyFeedPost.isRecord(record) && AppBskyFeedPost.validateRecord(record).success ? (record as AppBskyFeedPost.Record) : null;
}

function postUrl(handle: string, rkey: string): string {
  return `https://bsky.app/profile/${handle}/post/${rkey}`;
}

interface Author {
  did: string;
  handle: string;
  displayName?: string;
  followersCount?: number;
}

// A post as Paradox stores it; raw is the payload it arrived in (a notification or a search hit).
function toPost(uri: string, author: Author, record: AppBskyFeedPost.Record, indexedAt: string, raw: unknown): FetchedPost {
  if (typeof author?.did !== 'string' || typeof author.handle !== 'string') throw new ConnectorError('BAD_RESPONSE', `post ${uri} lacks its author`);
  const created = new Date(record.createdAt);
  const rkey = uri.split('/').pop() ?? '';
  return {
    externalId: uri,
    url: postUrl(author.handle, rkey),
    text: typeof record.text === 'string' ? record.text : '',
    language: record.langs?.[0] ?? null,
    visibility: 'public',
    postedAt: Number.isNaN(created.getTime()) ? new Date(indexedAt) : created,
    inReplyToExternalId: record.reply?.parent?.uri ?? null,
    author: { externalId: author.did, handle: `@${author.handle}`, displayName: author.displayName || null, followers: author.followersCount ?? null },
    raw,
  };
}
