import axios, { type AxiosInstance, type AxiosResponse } from 'axios';
import type { Clock } from '../../../common/clock.js';
import type { ResolvedSource } from '../../../config/app-config.js';
import { ConnectorError } from '../../connector-error.js';
import { type FetchPage, type FetchedPost, type OwnAccount, type PublishedReply, type ReplyRules, SocialConnector } from '../../social-connector.js';
import { seenAfter, unseenPosts } from './feed-cursor.js';
import { readFeedDocument } from './feed-entries.js';
import { type HubLink, discoverHub } from './websub.js';
import type { Push, PushOutcome, WebSubSubscriber } from './websub-subscriber.js';

const MAX_REDIRECTS = 5;
// A feed is a few hundred kilobytes at most; a body far beyond is not a feed worth reading.
export const MAX_BODY_BYTES = 10 * 1024 * 1024;
const ACCEPT = 'application/atom+xml, application/rss+xml, application/rdf+xml, application/feed+json, application/xml;q=0.9, text/xml;q=0.9, application/json;q=0.8, */*;q=0.5';
const USER_AGENT = 'Paradox feed reader (customer care; polls politely with conditional requests)';
// A 429 without Retry-After waits this long.
const DEFAULT_RETRY_MS = 60_000;
// Authors are "<host>/<name>": this id holds no slash, so no entry's author is ever the brand.
const NO_BRAND_ACCOUNT: OwnAccount = { externalId: 'rss:no-brand-account', handle: '' };
// Pushed entries waiting for the poller; beyond this, the next poll of the feed brings them.
const MAX_PUSHED = 1000;

interface FetchedFeed {
  posts: FetchedPost[];
  etag: string | undefined;
  lastModified: string | undefined;
  // The WebSub hub the feed names, if any.
  hub: HubLink | null;
}

// An RSS, Atom, RDF or JSON feed (a Google Alert, a review site, a forum), polled with
// conditional requests, and pushed by its WebSub hub when it names one (the subscriber). Read-only:
// replies are posted by hand where the entry lives and recorded.
export class RssConnector extends SocialConnector {
  readonly platform = 'rss';
  // Review sites and forums take long answers; the agent posts it there by hand, so nothing here
  // can post twice, and nobody is addressed by a handle.
  readonly replyRules: ReplyRules = { maxLength: 5000, idempotent: true, addressesAuthor: false, manual: true };
  private readonly http: AxiosInstance;
  // Entries the hub pushed, by id, until the poller takes them.
  private readonly pushed = new Map<string, FetchedPost>();
  private wake: (() => void) | null = null;

  constructor(
    private readonly source: ResolvedSource,
    private readonly clock: Clock,
    readonly subscriber: WebSubSubscriber | null = null,
  ) {
    super();
    this.http = axios.create({
      timeout: source.rss!.timeoutMs,
      headers: { Accept: ACCEPT, 'User-Agent': USER_AGENT },
      // Bytes, decoded here by the feed's own charset.
      responseType: 'arraybuffer',
      validateStatus: () => true,
      maxRedirects: MAX_REDIRECTS,
      maxContentLength: MAX_BODY_BYTES,
    });
  }

  // A feed has no brand account, and the brand never writes in it: a pseudo-account that is no
  // entry's author, so the poller keeps every entry.
  async ownAccount(): Promise<OwnAccount> {
    return NO_BRAND_ACCOUNT;
  }

  // The whole feed comes every time (there is no "since"), unless it did not change (304). Only
  // the entries the last stored document did not hold are handed over. Pushed entries come first,
  // as a page that leaves the cursor where it is (the next read of the feed hands them over again,
  // and the store drops them as repeats).
  async fetchNew(cursor: Record<string, string>): Promise<FetchPage> {
    if (this.pushed.size) {
      const posts = unseenPosts([...this.pushed.values()], cursor.seen);
      this.pushed.clear();
      return { posts, cursor, hasMore: false, rateLimit: null };
    }
    const feed = await this.fetchFeed(cursor);
    // The hub the feed named when last read is kept in the cursor: an unchanged feed (304) still
    // has its subscription kept up, after a restart too.
    const next: Record<string, string> = feed ? { seen: seenAfter(feed.posts) } : cursor;
    if (feed?.etag) next.etag = feed.etag;
    if (feed?.lastModified) next.lastModified = feed.lastModified;
    if (feed?.hub) Object.assign(next, feed.hub);
    await this.subscriber?.ensure(next.hub && next.topic ? { hub: next.hub, topic: next.topic } : null);
    if (!feed) return { posts: [], cursor, hasMore: false, rateLimit: null };
    return { posts: unseenPosts(feed.posts, cursor.seen), cursor: next, hasMore: false, rateLimit: null };
  }

  // Feeds have no conversations: the entry itself, with the comments that answer it in a comment
  // feed; nothing once it has left the feed.
  async fetchThread(externalId: string): Promise<FetchedPost[]> {
    const feed = await this.fetchFeed({});
    const entry = feed?.posts.find((p) => p.externalId === externalId);
    return entry ? [entry, ...feed!.posts.filter((p) => p.inReplyToExternalId === externalId)] : [];
  }

  // While the poller runs, a push wakes it: the entries are stored within seconds, not at the next poll.
  watch(wake: () => void): () => void {
    this.wake = wake;
    return () => {
      this.wake = null;
    };
  }

  // What the hub pushed to the callback, checked by the subscriber; the entries wait for the poller.
  async takePush(push: Push): Promise<PushOutcome> {
    if (!this.subscriber) return { outcome: 'gone' };
    const taken = await this.subscriber.accept(push);
    if (taken.outcome !== 'taken') return taken;
    for (const post of taken.posts) if (this.pushed.size < MAX_PUSHED || this.pushed.has(post.externalId)) this.pushed.set(post.externalId, post);
    if (taken.posts.length) this.wake?.();
    return taken;
  }

  // Replies on a manual channel wait for an agent and are never handed to the publisher.
  async postReply(): Promise<PublishedReply> {
    throw new Error(`source ${this.source.id} is a feed and cannot be answered by Paradox: post the reply by hand where the entry lives, then record it with POST /replies/:id/record`);
  }

  // The feed, or null when it has not changed since the cursor's ETag / Last-Modified.
  private async fetchFeed(cursor: Record<string, string>): Promise<FetchedFeed | null> {
    const url = this.source.rss!.url;
    // Only the host is ever named: a private feed's URL carries its key.
    const what = `GET the feed at ${new URL(url).host}`;
    const headers: Record<string, string> = {};
    if (cursor.etag) headers['If-None-Match'] = cursor.etag;
    if (cursor.lastModified) headers['If-Modified-Since'] = cursor.lastModified;
    let response: AxiosResponse<ArrayBuffer>;
    try {
      // The timeout above is per socket; this one bounds the whole answer, however slowly it drips.
      response = await this.http.get<ArrayBuffer>(url, { headers, signal: AbortSignal.timeout(this.source.rss!.timeoutMs) });
    } catch (error) {
      throw requestFailure(error, what);
    }
    const status = response.status;
    if (status === 304) return null;
    if (status === 429) throw new ConnectorError('RATE_LIMITED', `${what}: HTTP 429`, retryAt(header(response, 'retry-after'), this.clock.now()));
    if (status === 401 || status === 403) throw new ConnectorError('AUTH_EXPIRED', `${what}: HTTP ${status}`);
    if (status >= 500 || status === 408) throw new ConnectorError('TEMPORARY', `${what}: HTTP ${status}`);
    if (status !== 200) throw new ConnectorError('BAD_RESPONSE', `${what}: HTTP ${status}`);
    let document: ReturnType<typeof readFeedDocument>;
    try {
      document = readFeedDocument(decodeFeed(Buffer.from(response.data), header(response, 'content-type')), { feedUrl: url, fetchedAt: this.clock.now() });
    } catch (error) {
      throw error instanceof ConnectorError ? new ConnectorError(error.code, `${what}: ${error.message}`) : error;
    }
    return {
      posts: document.posts,
      etag: header(response, 'etag'),
      lastModified: header(response, 'last-modified'),
      hub: discoverHub(header(response, 'link'), document.links, url),
    };
  }
}

function requestFailure(error: unknown, what: string): ConnectorError {
  const code = axios.isAxiosError(error) ? error.code : undefined;
  const message = error instanceof Error ? error.message : String(error);
  if (code === 'ERR_FR_TOO_MANY_REDIRECTS') return new ConnectorError('BAD_RESPONSE', `${what}: more than ${MAX_REDIRECTS} redirects`);
  if (/maxContentLength/.test(message)) return new ConnectorError('BAD_RESPONSE', `${what}: the body is larger than ${MAX_BODY_BYTES} bytes`);
  if (code === 'ECONNABORTED' || code === 'ETIMEDOUT' || code === 'ERR_CANCELED') return new ConnectorError('TEMPORARY', `${what}: timeout`);
  return new ConnectorError('TEMPORARY', `${what}: ${message}`);
}

// Retry-After is either seconds or an HTTP date (RFC 9110, 10.2.3).
export function retryAt(value: string | undefined, now: Date): Date {
  const text = value?.trim() ?? '';
  if (/^\d+$/.test(text)) return new Date(now.getTime() + Number(text) * 1000);
  const at = Date.parse(text);
  return Number.isNaN(at) ? new Date(now.getTime() + DEFAULT_RETRY_MS) : new Date(at);
}

// The charset the server names, else the one the XML declaration names, else UTF-8 (which also
// reads a byte-order mark).
export function decodeFeed(bytes: Buffer, contentType: string | undefined): string {
  const declared = /charset\s*=\s*"?([\w.:-]+)/i.exec(contentType ?? '')?.[1] ?? /^\s*<\?xml[^>]*encoding\s*=\s*["']([\w.:-]+)["']/i.exec(bytes.subarray(0, 200).toString('latin1'))?.[1];
  try {
    return new TextDecoder(declared ?? 'utf-8').decode(bytes);
  } catch {
    return new TextDecoder('utf-8').decode(bytes);
  }
}

function header(response: AxiosResponse, name: string): string | undefined {
  const value = response.headers[name];
  return typeof value === 'string' && value ? value : undefined;
}
