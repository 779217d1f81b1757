import axios, { type AxiosInstance, type AxiosResponse } from 'axios';
import type { Clock } from '../../../common/clock.js';
import type { ResolvedSource } from '../../../config/app-config.js';
import type { RedditSourceConfig } from '../../../config/config.schema.js';
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
} from '../../social-connector.js';
import { type FeedAnchor, anchorOf, formatAnchor, parseAnchor, readListing, unseenOnPage } from './reddit-feed.js';
import { commentAllowedAt, rateLimitedUntil, readRateLimit } from './reddit-rate-limit.js';
import { REDDIT_WEB, createdComment, earlierReply, thingToPost, threadPosts } from './reddit-things.js';
import type { RedditAccount, RedditListing, RedditThing, RedditToken } from './reddit.types.js';

// A token is renewed this long before Reddit says it expires.
const TOKEN_MARGIN_MS = 60_000;
// When `before` breaks (its item deleted), a poll reads back by time at most this many pages.
const READ_BACK_PAGES = 10;
// Reddit's search index takes posts in late: a keyword feed also takes what is up to this much
// older than its anchor, and the store drops the ones it has.
const SEARCH_LOOKBACK_SECONDS = 10 * 60;
// The ancestors shown above a comment in its thread.
const THREAD_CONTEXT = 8;

interface Feed {
  key: string;
  path: string;
  params: Record<string, string>;
  lookbackSeconds: number;
}

interface FeedRead {
  things: RedditThing[];
  anchor: FeedAnchor | null;
  more: boolean;
}

interface Call {
  params?: Record<string, string>;
  form?: Record<string, string>;
}

// Reddit through its OAuth API, as a "script" app of the brand account: new posts and comments
// in the watched subreddits, keyword searches, and the brand's inbox (replies to it and username
// mentions). Replies are comments under the customer's post or comment.
export class RedditConnector extends SocialConnector {
  readonly platform = 'reddit';
  // Reddit has no idempotency key: a later attempt looks for the comment first.
  readonly replyRules: ReplyRules = { maxLength: 10_000, idempotent: false, addressesAuthor: false, manual: false };
  private readonly settings: RedditSourceConfig;
  private readonly api: AxiosInstance;
  private readonly auth: AxiosInstance;
  private token: { value: string; expiresAt: number } | null = null;
  private renewing: Promise<string> | null = null;
  private rateLimit: RateLimitState | null = null;
  // Feeds whose last page said more waits above this anchor: the next read climbs straight on.
  // Only a shortcut; the stored cursor decides what is read.
  private readonly climbing = new Map<string, string>();

  constructor(
    private readonly source: ResolvedSource,
    private readonly clock: Clock,
  ) {
    super();
    this.settings = source.reddit!;
    const http = (baseURL: string) =>
      axios.create({
        baseURL: baseURL.replace(/\/$/, ''),
        timeout: this.settings.timeoutMs,
        headers: { 'User-Agent': this.settings.userAgent, Accept: 'application/json' },
        // Bodies are parsed here: an HTML page where JSON belongs is a BAD_RESPONSE, not a string.
        responseType: 'text',
        transformResponse: (data: unknown) => data,
        validateStatus: () => true,
        maxRedirects: 0,
      });
    this.api = http(this.settings.apiUrl);
    this.auth = http(this.settings.authUrl);
  }

  async ownAccount(): Promise<OwnAccount> {
    const me = await this.request<RedditAccount>('GET', '/api/v1/me');
    if (typeof me?.id !== 'string' || typeof me.name !== 'string') throw new ConnectorError('BAD_RESPONSE', 'GET /api/v1/me has no account id or name');
    return { externalId: `t2_${me.id}`, handle: `u/${me.name}` };
  }

  // Every feed is read at once: a poll takes as long as its slowest answer, not their sum.
  async fetchNew(cursor: Record<string, string>): Promise<FetchPage> {
    const feeds = this.feeds();
    const reads = await Promise.all(feeds.map((feed) => this.readFeed(feed, parseAnchor(cursor[feed.key]))));
    const next = { ...cursor };
    const posts: FetchedPost[] = [];
    reads.forEach((read, i) => {
      for (const thing of read.things) {
        const post = thingToPost(thing);
        if (post) posts.push(post);
      }
      if (read.anchor) next[feeds[i].key] = formatAnchor(read.anchor);
    });
    // A comment can come through its subreddit and the inbox at once: keep it once.
    const unique = [...new Map(posts.map((p) => [p.externalId, p])).values()];
    return { posts: unique, cursor: next, hasMore: reads.some((r) => r.more), rateLimit: this.rateLimit };
  }

  // A link with its comment tree; a comment with its ancestors, its link and the replies below it.
  async fetchThread(externalId: string): Promise<FetchedPost[]> {
    const [kind, id] = splitFullname(externalId);
    if (kind === 't3') return threadPosts(await this.request('GET', `/comments/${id}`), `GET /comments/${id}`);
    if (kind !== 't1') throw new ConnectorError('BAD_RESPONSE', `${externalId} is no Reddit link or comment`);
    const info = readListing(await this.request('GET', '/api/info', { params: { id: externalId } }), 'GET /api/info');
    const linkId = (info.data.children[0]?.data as { link_id?: unknown } | undefined)?.link_id;
    if (typeof linkId !== 'string') throw new ConnectorError('BAD_RESPONSE', `the comment ${externalId} is gone`);
    const article = splitFullname(linkId)[1];
    const params = { comment: id, context: String(THREAD_CONTEXT) };
    return threadPosts(await this.request('GET', `/comments/${article}`, { params }), `GET /comments/${article}`);
  }

  async postReply(reply: ReplyRequest): Promise<PublishedReply> {
    const parent = reply.inReplyTo.externalId;
    if (reply.attempt > 1) {
      // The last attempt's answer may have been lost after Reddit took the comment.
      const recent = await this.request('GET', `/user/${encodeURIComponent(this.settings.username)}/comments`, { params: { sort: 'new', limit: '100' } });
      const earlier = earlierReply(readListing(recent, 'GET /user/:name/comments').data.children, parent, reply.text);
      if (earlier) return { externalId: earlier.name, url: earlier.permalink ? `${REDDIT_WEB}${earlier.permalink}` : null };
    }
    const answer = createdComment(await this.request('POST', '/api/comment', { form: { thing_id: parent, text: reply.text, api_type: 'json' } }));
    if ('code' in answer) {
      if (answer.code === 'RATELIMIT') throw new ConnectorError('RATE_LIMITED', `POST /api/comment: ${answer.message}`, commentAllowedAt(answer.ratelimit, answer.message, this.clock.now()));
      throw new ConnectorError('BAD_RESPONSE', `POST /api/comment: ${answer.code} ${answer.message}`.trim());
    }
    return { externalId: answer.name, url: answer.permalink ? `${REDDIT_WEB}${answer.permalink}` : null };
  }

  // The watched subreddits as one listing each for posts and comments (r/a+b reads both at the
  // cost of one request), a search per keyword, and the brand's inbox.
  private feeds(): Feed[] {
    const feeds: Feed[] = [];
    const subreddits = this.settings.subreddits.join('+');
    if (subreddits) {
      feeds.push({ key: `new:r/${subreddits}`, path: `/r/${subreddits}/new`, params: {}, lookbackSeconds: 0 });
      feeds.push({ key: `comments:r/${subreddits}`, path: `/r/${subreddits}/comments`, params: {}, lookbackSeconds: 0 });
    }
    for (const keyword of this.settings.keywords) {
      // Reddit searches links only (type=link): a comment naming the brand is found in a watched
      // subreddit, or in the inbox when it names u/<brand>.
      const params = { q: keyword, restrict_sr: 'false', sort: 'new', type: 'link' };
      feeds.push({ key: `search:${keyword}`, path: '/r/all/search', params, lookbackSeconds: SEARCH_LOOKBACK_SECONDS });
    }
    feeds.push({ key: 'inbox', path: '/message/inbox', params: {}, lookbackSeconds: 0 });
    return feeds;
  }

  // Reddit's listings run newest first. The first read takes the newest page. Later reads take
  // the newest page and keep what lies above the anchor; when the whole page is new, more than a
  // page came since, and the feed climbs from the anchor with `before`, one page per call and
  // oldest first, so each page's cursor is stored before the next is read.
  private async readFeed(feed: Feed, anchor: FeedAnchor | null): Promise<FeedRead> {
    const limit = String(this.settings.pageSize);
    if (!anchor) {
      const newest = await this.listing(feed, { limit });
      return { things: newest.data.children, anchor: anchorOf(newest.data.children[0]), more: false };
    }
    if (this.climbing.get(feed.key) === anchor.fullname) {
      const above = await this.listing(feed, { limit, before: anchor.fullname });
      if (above.data.children.length) return this.climbed(feed, above);
    }
    this.climbing.delete(feed.key);
    const newest = await this.listing(feed, { limit });
    const page = unseenOnPage(newest.data.children, anchor, feed.lookbackSeconds);
    if (page.reached || !newest.data.after) return { things: page.unseen, anchor: anchorOf(newest.data.children[0]) ?? anchor, more: false };
    const above = await this.listing(feed, { limit, before: anchor.fullname });
    if (above.data.children.length) return this.climbed(feed, above);
    // `before` answers an empty page when its item is gone (deleted or removed), however much
    // came since: read back from the newest page to the anchor's time instead.
    return this.readBack(feed, newest, anchor);
  }

  private climbed(feed: Feed, above: RedditListing): FeedRead {
    const children = above.data.children;
    // Reddit names `before` while still newer items wait; a full page may hide more as well.
    const more = above.data.before !== null || children.length >= this.settings.pageSize;
    if (more) this.climbing.set(feed.key, children[0].data.name);
    return { things: children, anchor: anchorOf(children[0]), more };
  }

  private async readBack(feed: Feed, newest: RedditListing, anchor: FeedAnchor): Promise<FeedRead> {
    const things = [...newest.data.children];
    let after = newest.data.after;
    for (let page = 1; page < READ_BACK_PAGES && after; page++) {
      const older = await this.listing(feed, { limit: String(this.settings.pageSize), after });
      const read = unseenOnPage(older.data.children, anchor, feed.lookbackSeconds);
      things.push(...read.unseen);
      if (read.reached) break;
      after = older.data.after;
    }
    return { things, anchor: anchorOf(newest.data.children[0]), more: false };
  }

  private async listing(feed: Feed, params: Record<string, string>): Promise<RedditListing> {
    return readListing(await this.request('GET', feed.path, { params: { ...feed.params, ...params } }), `GET ${feed.path}`);
  }

  private async request<T = unknown>(method: 'GET' | 'POST', path: string, call: Call = {}, renewed = false): Promise<T> {
    const now = this.clock.now();
    // The window's quota is spent: asking now would only earn a 429.
    if (this.rateLimit?.remaining === 0 && this.rateLimit.resetAt && this.rateLimit.resetAt > now) {
      throw new ConnectorError('RATE_LIMITED', `${method} ${path}: no requests left until the rate-limit window resets`, this.rateLimit.resetAt);
    }
    const token = await this.accessToken();
    let response: AxiosResponse<string>;
    try {
      response = await this.api.request({
        method,
        url: path,
        // raw_json=1: text comes as typed, without the HTML escaping Reddit applies by default.
        params: { ...call.params, raw_json: '1' },
        data: call.form ? new URLSearchParams(call.form).toString() : undefined,
        headers: { Authorization: `bearer ${token}`, ...(call.form ? { 'Content-Type': 'application/x-www-form-urlencoded' } : {}) },
      });
    } catch (error) {
      throw new ConnectorError('TEMPORARY', `${method} ${path}: ${(error as Error).message}`);
    }
    const answeredAt = this.clock.now();
    this.rateLimit = readRateLimit(response.headers, answeredAt) ?? this.rateLimit;
    const status = response.status;
    if (status === 401) {
      // The token expired or was revoked early: renew it once and ask again.
      if (renewed) throw new ConnectorError('AUTH_EXPIRED', `${method} ${path}: HTTP 401 with a fresh token`);
      this.forget(token);
      return this.request<T>(method, path, call, true);
    }
    if (status === 429) throw new ConnectorError('RATE_LIMITED', `${method} ${path}: HTTP 429`, rateLimitedUntil(response.headers, answeredAt));
    if (status === 403) throw forbidden(method, path, response);
    if (status >= 500 || status === 408) throw new ConnectorError('TEMPORARY', `${method} ${path}: HTTP ${status}`);
    if (status >= 300) throw new ConnectorError('BAD_RESPONSE', `${method} ${path}: HTTP ${status}`);
    return parseJson<T>(response.data, `${method} ${path}`);
  }

  // One token request at a time, renewed ahead of its expiry.
  private async accessToken(): Promise<string> {
    if (this.token && this.token.expiresAt - TOKEN_MARGIN_MS > this.clock.now().getTime()) return this.token.value;
    this.renewing ??= this.grant().finally(() => {
      this.renewing = null;
    });
    return this.renewing;
  }

  // Only the token that was refused: another request may have renewed it meanwhile.
  private forget(token: string): void {
    if (this.token?.value === token) this.token = null;
  }

  // The password grant of a "script" app: the app's id and secret as HTTP Basic, the brand
  // account's name and password in the form.
  private async grant(): Promise<string> {
    const { clientId, clientSecret, password } = this.source.secrets;
    const what = 'POST /api/v1/access_token';
    let response: AxiosResponse<string>;
    try {
      response = await this.auth.request({
        method: 'POST',
        url: '/api/v1/access_token',
        auth: { username: clientId ?? '', password: clientSecret ?? '' },
        data: new URLSearchParams({ grant_type: 'password', username: this.settings.username, password: password ?? '' }).toString(),
        headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
      });
    } catch (error) {
      throw new ConnectorError('TEMPORARY', `${what}: ${(error as Error).message}`);
    }
    const status = response.status;
    const now = this.clock.now();
    if (status === 401 || status === 403) throw new ConnectorError('AUTH_EXPIRED', `${what}: Reddit refused the app's client id or secret (HTTP ${status})`);
    if (status === 429) throw new ConnectorError('RATE_LIMITED', `${what}: HTTP 429`, rateLimitedUntil(response.headers, now));
    if (status >= 500 || status === 408) throw new ConnectorError('TEMPORARY', `${what}: HTTP ${status}`);
    if (status >= 300) throw new ConnectorError('BAD_RESPONSE', `${what}: HTTP ${status}`);
    const body = parseJson<RedditToken>(response.data, what);
    // A wrong user name or password is a 200 with { "error": "invalid_grant" }.
    if (body?.error) throw new ConnectorError('AUTH_EXPIRED', `${what}: Reddit refused the grant (${body.error})`);
    if (typeof body?.access_token !== 'string' || typeof body.expires_in !== 'number') throw new ConnectorError('BAD_RESPONSE', `${what}: no access_token or expires_in`);
    this.token = { value: body.access_token, expiresAt: now.getTime() + body.expires_in * 1000 };
    return body.access_token;
  }
}

// prawcore's recording of a 403 is a valid token asking for what the account may not see
// ({"error": 403} on another user's page): renewing changes nothing, so it is BAD_RESPONSE (a
// private, quarantined or banned subreddit reads the same way). Only a 403 whose WWW-Authenticate
// refuses the token or its scopes is about the credentials.
function forbidden(method: string, path: string, response: AxiosResponse<string>): ConnectorError {
  const challenge = String(response.headers['www-authenticate'] ?? '');
  if (/insufficient_scope|invalid_token/.test(challenge)) return new ConnectorError('AUTH_EXPIRED', `${method} ${path}: HTTP 403 (${/error="([^"]+)"/.exec(challenge)?.[1]})`);
  let reason = '';
  try {
    const body = JSON.parse(response.data) as { reason?: unknown };
    if (typeof body?.reason === 'string') reason = ` (${body.reason})`;
  } catch {
    // The reason is a courtesy; the status says enough.
  }
  return new ConnectorError('BAD_RESPONSE', `${method} ${path}: HTTP 403, the account may not read this${reason}`);
}

function parseJson<T>(text: string, what: string): T {
  try {
    return JSON.parse(text) as T;
  } catch {
    throw new ConnectorError('BAD_RESPONSE', `${what}: the body is not JSON`);
  }
}

// "t3_hmkbt8" → ["t3", "hmkbt8"]
function splitFullname(fullname: string): [string, string] {
  const match = /^(t\d)_([a-z0-9]+)$/i.exec(fullname);
  if (!match) throw new ConnectorError('BAD_RESPONSE', `${fullname} is not a Reddit fullname`);
  return [match[1], match[2]];
}
