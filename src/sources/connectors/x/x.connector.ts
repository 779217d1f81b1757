import { Logger } from '@nestjs/common';
import axios, { type AxiosInstance, type AxiosResponse } from 'axios';
import type { Clock } from '../../../common/clock.js';
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
} from '../../social-connector.js';
import type { CredentialStore } from '../../source-credentials.js';
import { MENTIONS, afterPage, feedPosition, feedsToRead, searchFeed, walkUnderWay } from './x-feed-cursor.js';
import { X_WINDOW_MS, readRateLimit, tightest } from './x-rate-limit.js';
import { findEarlierReply } from './x-reply-match.js';
import { X_STREAM_TIMING, XStream, type XStreamTiming } from './x-stream.js';
import { isOwnRule, planRules, servingRuleIds, wantedRules } from './x-stream-rules.js';
import { X_MAX_WEIGHT, decodeXText, xTextLength } from './x-text.js';
import { XTokens } from './x-tokens.js';
import type {
  XIncludes,
  XListResponse,
  XProblem,
  XRule,
  XRulesResponse,
  XRulesUpdateResponse,
  XSingleResponse,
  XStreamMessage,
  XTweet,
  XUser,
} from './x.types.js';

// Every post arrives with what Paradox stores of it: its author (name, handle, followers), time,
// language, conversation and the post it answers.
const POST_FIELDS = {
  'tweet.fields': 'author_id,conversation_id,created_at,lang,referenced_tweets',
  expansions: 'author_id',
  'user.fields': 'public_metrics',
};
// In a thread the posts answered are wanted too, with their authors.
const THREAD_FIELDS = { ...POST_FIELDS, expansions: 'author_id,referenced_tweets.id,referenced_tweets.id.author_id' };
const SEARCH_PATH = '/2/tweets/search/recent';
// A conversation of more than 500 posts is shown in part; so is a chain of more than 20 ancestors.
const THREAD_PAGES = 5;
const THREAD_ANCESTORS = 20;
// How far back an earlier attempt of a reply is looked for: attempts are minutes apart, and a
// brand does not post a hundred times in between.
const OWN_POSTS_SEARCHED = 100;
// What X says when it refuses a post for its content rather than for the app's access.
const REFUSED_POST = /duplicate|deleted|not visible|longer than|too long/i;
// X's language tags for "undetermined", "no language" and the like carry no language.
const NO_LANGUAGE = /^(und|zxx|art|q[a-z]{2})$/;
const STREAM_PATH = '/2/tweets/search/stream';
const RULES_PATH = '/2/tweets/search/stream/rules';
// An app holds at most 1,000 rules at Pro; Enterprise more, read 1,000 a page.
const RULE_PAGES = 50;
// Streamed posts waiting for the poller. Beyond this many the stream stops handing them over and
// the feeds are read instead: memory stays bounded, and nothing is lost.
const STREAMED_MAX = 1000;

// The X API v2 with the brand account's OAuth 2.0 user token: its mentions and recent searches
// for the configured keywords, read back to since_id; replies posted threaded under the post.
export class XConnector extends SocialConnector {
  readonly platform = 'x';
  // A reply to in_reply_to_tweet_id is threaded by X, which puts the handles of the post's author
  // (and of those it answered) in front of it and notifies them; those handles do not count
  // towards the 280. So Paradox adds no handle. X counts by weight (CJK and emoji double, a link
  // 23): the reply is measured that way, erring long. X has no idempotency key: see postReply.
  readonly replyRules: ReplyRules = { maxLength: X_MAX_WEIGHT, idempotent: false, addressesAuthor: false, manual: false, length: xTextLength };
  private readonly http: AxiosInstance;
  private readonly tokens: XTokens;
  private account: Promise<XUser> | null = null;
  // Filtered stream (see watch): the posts it handed over, the rules whose matches are this
  // source's, and when the feeds are read next.
  private streaming = false;
  private readonly streamed = new Map<string, FetchedPost>();
  private servingRules = new Set<string>();
  private feedsDueAt = 0;
  private catchUps = 0;
  private rateLimit: RateLimitState | null = null;

  constructor(
    private readonly source: ResolvedSource,
    private readonly clock: Clock,
    credentials: CredentialStore,
    private readonly streamTiming: XStreamTiming = X_STREAM_TIMING,
  ) {
    super();
    const settings = source.x!;
    this.http = axios.create({
      baseURL: settings.baseUrl.replace(/\/$/, ''),
      timeout: settings.timeoutMs,
      headers: { Accept: 'application/json' },
      // Bodies are parsed here, so a malformed one is a BAD_RESPONSE rather than a silent string.
      responseType: 'text',
      transformResponse: (data: unknown) => data,
      validateStatus: () => true,
      maxRedirects: 0,
    });
    const { accessToken, refreshToken, clientId, clientSecret } = source.secrets;
    this.tokens = new XTokens(this.http, { accessToken: accessToken ?? source.accessToken ?? '', refreshToken, clientId, clientSecret }, credentials, clock);
  }

  async ownAccount(): Promise<OwnAccount> {
    const me = await this.me();
    return { externalId: me.id, handle: `@${me.username}` };
  }

  // One page of each feed per call. A feed with more pages waits with a pagination token in the
  // cursor (hasMore), and the next call reads only such feeds, until every walk is done.
  // While the stream is followed, the posts it handed over come first, as a page that leaves the
  // cursor where it is; the feeds are read only when due (see watch).
  async fetchNew(cursor: Record<string, string>): Promise<FetchPage> {
    const settings = this.source.x!;
    const me = await this.me();
    const keywords = new Map(settings.keywords.map((q) => [searchFeed(q), q]));
    const feeds = [MENTIONS, ...keywords.keys()];
    if (this.streaming) {
      const due = walkUnderWay(cursor, feeds) || this.clock.now().getTime() >= this.feedsDueAt;
      const handed = [...this.streamed.values()].slice(0, settings.pageSize);
      for (const post of handed) this.streamed.delete(post.externalId);
      if (handed.length || !due) return { posts: handed, cursor, hasMore: due || this.streamed.size > 0, rateLimit: this.rateLimit };
    }
    const started = this.clock.now().getTime();
    const catchUps = this.catchUps;
    const limits: (RateLimitState | null)[] = [];
    const posts: FetchedPost[] = [];
    let next = { ...cursor };
    for (const feed of feedsToRead(cursor, feeds)) {
      const { sinceId, paginationToken } = feedPosition(cursor, feed);
      const page =
        feed === MENTIONS
          ? await this.list(`/2/users/${me.id}/mentions`, { ...POST_FIELDS, max_results: settings.pageSize, since_id: sinceId, pagination_token: paginationToken })
          : await this.list(SEARCH_PATH, {
              query: keywords.get(feed),
              sort_order: 'recency',
              ...POST_FIELDS,
              max_results: settings.pageSize,
              since_id: sinceId,
              next_token: paginationToken,
            });
      limits.push(page.limit);
      posts.push(...postsOf(page.body).filter((p) => !isRetweet(p.raw)));
      next = afterPage(next, feed, page.body.meta!);
    }
    // A post can be a mention and a search hit at once: keep it once.
    const unique = [...new Map(posts.map((p) => [p.externalId, p])).values()];
    this.rateLimit = tightest(limits);
    // A catch-up asked for while this read was under way may concern posts it did not see.
    if (this.catchUps === catchUps) this.feedsDueAt = started + feedInterval(this.source.pollSeconds);
    return { posts: unique, cursor: next, hasMore: walkUnderWay(next, feeds), rateLimit: this.rateLimit };
  }

  // X's filtered stream, with streaming on and an app-only bearer token (X's Pro and Enterprise
  // access). The mention timeline allows 180 requests per user in 15 minutes, so a stream that
  // only woke the poller would spend one on every post and run dry at one post in 5 seconds.
  // Instead the stream hands its posts over: they wait in memory (at most STREAMED_MAX) until
  // fetchNew takes them, and are stored through the same transaction and deduplication as any
  // page, without a request. Such a page leaves the cursor where it is, so the feeds' own read by
  // since_id, every pollSeconds, still finds every post, whatever the stream missed or a restart
  // lost from memory; a post both ways is stored once. Every connection, the first and each
  // reconnection, has the feeds read at once: what came while the stream was down. X allows 50
  // connections per 15 minutes at Pro, so with the default 60 s this stays under 65 mention
  // requests a window, whatever the stream does.
  watch(wake: () => void): () => void {
    const settings = this.source.x!;
    const bearerToken = this.source.secrets.bearerToken;
    if (!settings.streaming || !bearerToken) return () => undefined;
    this.streaming = true;
    const url = `${settings.baseUrl.replace(/\/$/, '')}${STREAM_PATH}?${new URLSearchParams(POST_FIELDS)}`;
    const logger = new Logger(`XStream ${this.source.id}`);
    const stop = new XStream(url, bearerToken, this.streamTiming, logger).follow({
      prepare: () => this.syncRules(bearerToken),
      connected: () => this.catchUp(wake),
      message: (line) => this.takeStreamed(line, wake, logger),
    });
    return () => {
      this.streaming = false;
      stop();
    };
  }

  // The feeds are read at the next poll: what the stream brings may not be all there is.
  private catchUp(wake: () => void): void {
    this.catchUps += 1;
    this.feedsDueAt = 0;
    wake();
  }

  private takeStreamed(line: string, wake: () => void, logger: Logger): void {
    let message: XStreamMessage;
    try {
      message = JSON.parse(line) as XStreamMessage;
    } catch {
      logger.warn('a stream message is not JSON; reading the feeds instead');
      return this.catchUp(wake);
    }
    if (!message?.data) {
      // Problems alone: X says why it is about to close the connection.
      if (message?.errors) logger.warn(`the stream says: ${problemText(message.errors)}`);
      return;
    }
    const ours = message.matching_rules?.some((rule) => this.servingRules.has(rule.id) || isOwnRule(rule, this.source.id));
    if (!ours) return;
    let post: FetchedPost;
    try {
      const author = message.includes?.users?.find((u) => u.id === message.data!.author_id);
      if (!isTweet(message.data) || !author) throw new ConnectorError('BAD_RESPONSE', 'a streamed post came without its text or author');
      post = toPost(message.data, author);
    } catch (error) {
      logger.warn(`${(error as Error).message}; reading the feeds instead`);
      return this.catchUp(wake);
    }
    if (isRetweet(post.raw)) return;
    if (this.streamed.size >= STREAMED_MAX) return this.catchUp(wake);
    this.streamed.set(post.externalId, post);
    wake();
  }

  // The app's rules made to match this source's feeds: its own stale rules go, missing ones come,
  // and nobody else's rule is touched. New rules are tried with dry_run first, so a keyword X
  // refuses leaves the rules as they were.
  private async syncRules(bearerToken: string): Promise<void> {
    const me = await this.me();
    const wanted = wantedRules(this.source.id, me.username, this.source.x!.keywords);
    const existing = await this.streamRules(bearerToken);
    const { add, remove } = planRules(existing, wanted, this.source.id);
    if (add.length) {
      const trial = await this.appCall<XRulesUpdateResponse>('POST', RULES_PATH, bearerToken, { params: { dry_run: true }, body: { add } });
      const refused = (trial.errors ?? []).filter((e) => e.type?.endsWith('/invalid-rules'));
      if (refused.length) {
        throw new ConnectorError('BAD_RESPONSE', `X refuses the rule ${JSON.stringify(refused[0].value)}: ${refused[0].details?.join('; ') ?? problemText(refused)}`);
      }
    }
    if (remove.length) await this.appCall<XRulesUpdateResponse>('POST', RULES_PATH, bearerToken, { body: { delete: { ids: remove.map((r) => r.id) } } });
    let created: XRule[] = [];
    if (add.length) created = (await this.appCall<XRulesUpdateResponse>('POST', RULES_PATH, bearerToken, { body: { add } })).data ?? [];
    this.servingRules = servingRuleIds([...existing.filter((r) => !remove.includes(r)), ...created], wanted);
  }

  private async streamRules(bearerToken: string): Promise<XRule[]> {
    const rules: XRule[] = [];
    let paginationToken: string | undefined;
    for (let page = 0; page < RULE_PAGES; page++) {
      const body = await this.appCall<XRulesResponse>('GET', RULES_PATH, bearerToken, { params: { max_results: 1000, pagination_token: paginationToken } });
      if (body.data !== undefined && (!Array.isArray(body.data) || !body.data.every(isRule))) {
        throw new ConnectorError('BAD_RESPONSE', `GET ${RULES_PATH}: data is not a list of rules with ids and values`);
      }
      rules.push(...(body.data ?? []));
      paginationToken = body.meta?.next_token;
      if (!paginationToken) break;
    }
    return rules;
  }

  // The post, its conversation (a recent search on conversation_id: the last seven days) and the
  // chain of posts it answers, looked up one by one where neither reached. Oldest first.
  async fetchThread(externalId: string): Promise<FetchedPost[]> {
    const found = new Map<string, XTweet>();
    const users = new Map<string, XUser>();
    const take = (body: XListResponse | XSingleResponse<XTweet | XTweet[]>) => {
      for (const tweet of [body.data ?? []].flat()) found.set(tweet.id, tweet);
      for (const tweet of body.includes?.tweets ?? []) if (!found.has(tweet.id)) found.set(tweet.id, tweet);
      for (const user of body.includes?.users ?? []) users.set(user.id, user);
    };
    const post = await this.lookup(externalId);
    if (!post.data) throw new ConnectorError('BAD_RESPONSE', `the post ${externalId} is gone${because(post.errors)}`);
    take(post);

    let paginationToken: string | undefined;
    for (let page = 0; page < THREAD_PAGES; page++) {
      const { body } = await this.list(SEARCH_PATH, {
        query: `conversation_id:${post.data.conversation_id ?? externalId}`,
        sort_order: 'recency',
        ...THREAD_FIELDS,
        max_results: 100,
        next_token: paginationToken,
      });
      take(body);
      paginationToken = body.meta?.next_token;
      if (!paginationToken) break;
    }

    let at: XTweet | undefined = found.get(externalId);
    for (let hops = 0; at && hops < THREAD_ANCESTORS; hops++) {
      const parentId = repliedTo(at);
      if (!parentId) break;
      if (!found.has(parentId) || !users.has(found.get(parentId)!.author_id ?? '')) {
        const parent = await this.lookup(parentId);
        // A deleted or hidden parent ends the chain where X ends it.
        if (!parent.data) break;
        take(parent);
      }
      at = found.get(parentId);
    }
    return [...found.values()]
      .filter((t) => t.author_id && users.has(t.author_id) && t.created_at)
      .sort((a, b) => compareIds(a.id, b.id))
      .map((t) => toPost(t, users.get(t.author_id!)!));
  }

  // X has no idempotency key. A later attempt may follow one whose answer was lost after X made
  // the post, so it first looks for that post among the brand's recent ones, and returns it.
  async postReply(reply: ReplyRequest): Promise<PublishedReply> {
    const me = await this.me();
    if (reply.attempt > 1) {
      const { body } = await this.list(`/2/users/${me.id}/tweets`, {
        max_results: OWN_POSTS_SEARCHED,
        exclude: 'retweets',
        'tweet.fields': 'created_at,referenced_tweets',
      });
      const earlier = findEarlierReply(body.data ?? [], reply.inReplyTo.externalId, reply.text);
      if (earlier) return { externalId: earlier.id, url: postUrl(me.username, earlier.id) };
    }
    const { body } = await this.call<XSingleResponse<XTweet>>('POST', '/2/tweets', {
      body: { text: reply.text, reply: { in_reply_to_tweet_id: reply.inReplyTo.externalId } },
    });
    if (typeof body.data?.id !== 'string') throw new ConnectorError('BAD_RESPONSE', `POST /2/tweets: no post id in the answer${because(body.errors)}`);
    return { externalId: body.data.id, url: postUrl(me.username, body.data.id) };
  }

  // The brand's account, asked once per process (GET /2/users/me allows 75 calls in 15 minutes).
  private me(): Promise<XUser> {
    this.account ??= this.call<XSingleResponse<XUser>>('GET', '/2/users/me').then(({ body }) => {
      if (typeof body.data?.id !== 'string' || typeof body.data.username !== 'string') {
        throw new ConnectorError('BAD_RESPONSE', `GET /2/users/me: no account id or username${because(body.errors)}`);
      }
      return body.data;
    });
    this.account.catch(() => (this.account = null));
    return this.account;
  }

  private async lookup(id: string): Promise<XSingleResponse<XTweet>> {
    const { body } = await this.call<XSingleResponse<XTweet>>('GET', `/2/tweets/${encodeURIComponent(id)}`, { params: THREAD_FIELDS });
    if (body.data !== undefined && !isTweet(body.data)) throw new ConnectorError('BAD_RESPONSE', `GET /2/tweets/${id}: the post has no id or text`);
    return body;
  }

  // A timeline or search page as X documents it: `meta` always, `data` a list of posts when
  // anything matched. Errors beside them concern the expansions (a deleted post quoted) only.
  private async list(path: string, params: Record<string, string | number | undefined>) {
    const answer = await this.call<XListResponse>('GET', path, { params });
    const { body } = answer;
    if (typeof body.meta !== 'object' || body.meta === null || typeof body.meta.result_count !== 'number') {
      throw new ConnectorError('BAD_RESPONSE', `GET ${path}: the answer has no meta.result_count${because(body.errors)}`);
    }
    if (body.data !== undefined && (!Array.isArray(body.data) || !body.data.every(isTweet))) {
      throw new ConnectorError('BAD_RESPONSE', `GET ${path}: data is not a list of posts with ids and text`);
    }
    return answer;
  }

  private async call<T>(
    method: 'GET' | 'POST',
    path: string,
    { params, body }: { params?: Record<string, string | number | undefined>; body?: unknown } = {},
  ): Promise<{ body: T; limit: RateLimitState | null }> {
    let token = await this.tokens.current();
    let response = await this.send(method, path, token, params, body);
    // An access token that ran out is renewed once, and the request sent again with the new one.
    if (response.status === 401 && this.tokens.renewable) {
      token = await this.tokens.renew(token);
      response = await this.send(method, path, token, params, body);
    }
    return this.answer<T>(method, path, response, 'access token');
  }

  // A request of the app itself (the stream's rules), with the app-only bearer token.
  private async appCall<T extends { meta?: unknown; errors?: XProblem[] }>(
    method: 'GET' | 'POST',
    path: string,
    bearerToken: string,
    request: { params?: Record<string, string | number | boolean | undefined>; body?: unknown },
  ): Promise<T> {
    const response = await this.send(method, path, bearerToken, request.params, request.body);
    const { body } = this.answer<T>(method, path, response, 'bearer token');
    if (typeof body.meta !== 'object' || body.meta === null) throw new ConnectorError('BAD_RESPONSE', `${method} ${path}: the answer has no meta${because(body.errors)}`);
    return body;
  }

  private answer<T>(method: string, path: string, response: AxiosResponse<string>, token: string): { body: T; limit: RateLimitState | null } {
    const limit = readRateLimit(response.headers as Record<string, unknown>);
    const status = response.status;
    const what = `${method} ${path}: HTTP ${status}`;
    if (status === 429) throw new ConnectorError('RATE_LIMITED', what, limit?.resetAt ?? new Date(Date.now() + X_WINDOW_MS));
    if (status === 401) throw new ConnectorError('AUTH_EXPIRED', `${what}: X refused the ${token}`);
    if (status === 403) {
      // X answers 403 both for what the app may not do (its access, its permissions) and for a
      // post it will not take (a duplicate text, a deleted parent): only the first is credentials.
      const problem = problemText(parseJson<XProblem>(response.data));
      throw new ConnectorError(REFUSED_POST.test(problem) ? 'BAD_RESPONSE' : 'AUTH_EXPIRED', `${what}: ${problem}`);
    }
    if (status >= 500 || status === 408) throw new ConnectorError('TEMPORARY', what);
    if (status < 200 || status >= 300) throw new ConnectorError('BAD_RESPONSE', `${what}: ${problemText(parseJson<XProblem>(response.data))}`);
    const parsed = parseJson<T>(response.data);
    if (parsed === null) throw new ConnectorError('BAD_RESPONSE', `${method} ${path}: the body is not a JSON object`);
    return { body: parsed, limit };
  }

  private async send(method: 'GET' | 'POST', path: string, token: string, params?: Record<string, unknown>, body?: unknown): Promise<AxiosResponse<string>> {
    try {
      return await this.http.request({
        method,
        url: path,
        params,
        data: body === undefined ? undefined : JSON.stringify(body),
        headers: { Authorization: `Bearer ${token}`, ...(body === undefined ? {} : { 'Content-Type': 'application/json' }) },
      });
    } catch (error) {
      throw new ConnectorError('TEMPORARY', `${method} ${path}: ${(error as Error).message}`);
    }
  }
}

function postsOf(body: XListResponse): FetchedPost[] {
  const users = new Map((body.includes?.users ?? []).map((u) => [u.id, u]));
  return (body.data ?? []).map((tweet) => {
    const author = users.get(tweet.author_id ?? '');
    if (!author) throw new ConnectorError('BAD_RESPONSE', `post ${tweet.id} came without its author`);
    return toPost(tweet, author);
  });
}

// A post as Paradox stores it; raw is the post with its author, in the shape X answers a lookup.
function toPost(tweet: XTweet, author: XUser): FetchedPost {
  const postedAt = new Date(tweet.created_at ?? '');
  if (Number.isNaN(postedAt.getTime()) || typeof author.username !== 'string') {
    throw new ConnectorError('BAD_RESPONSE', `post ${tweet.id} lacks its time or its author's username`);
  }
  const language = tweet.lang && !NO_LANGUAGE.test(tweet.lang) ? tweet.lang : null;
  const raw: XSingleResponse<XTweet> & { includes: XIncludes } = { data: tweet, includes: { users: [author] } };
  return {
    externalId: tweet.id,
    url: postUrl(author.username, tweet.id),
    text: decodeXText(tweet.text),
    language,
    visibility: 'public',
    postedAt,
    inReplyToExternalId: repliedTo(tweet),
    author: {
      externalId: author.id,
      handle: `@${author.username}`,
      displayName: author.name || null,
      followers: author.public_metrics?.followers_count ?? null,
    },
    raw,
  };
}

function repliedTo(tweet: XTweet): string | null {
  return tweet.referenced_tweets?.find((r) => r.type === 'replied_to')?.id ?? null;
}

// A retweet repeats someone else's post: that post counts, if it was found itself.
function isRetweet(raw: unknown): boolean {
  return !!(raw as XSingleResponse<XTweet>).data?.referenced_tweets?.some((r) => r.type === 'retweeted');
}

function isRule(value: unknown): value is XRule {
  return typeof value === 'object' && value !== null && typeof (value as XRule).id === 'string' && typeof (value as XRule).value === 'string';
}

// With the stream, the feeds are read every pollSeconds: a read counts as the interval's when it
// comes a little early (a poll woken just before the scheduled one), so the schedule never skips one.
function feedInterval(pollSeconds: number): number {
  return pollSeconds * 1000 - Math.min(pollSeconds * 500, 5000);
}

function isTweet(value: unknown): value is XTweet {
  return typeof value === 'object' && value !== null && typeof (value as XTweet).id === 'string' && typeof (value as XTweet).text === 'string';
}

// X's ids grow with time (snowflakes): their order is the posts' order.
function compareIds(a: string, b: string): number {
  return a.length - b.length || (a < b ? -1 : a > b ? 1 : 0);
}

function postUrl(username: string, id: string): string {
  return `https://x.com/${username}/status/${id}`;
}

function parseJson<T>(text: string): T | null {
  try {
    const value = JSON.parse(text);
    return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as T) : null;
  } catch {
    return null;
  }
}

// What X said beside an answer that lacks what was asked for, if it said anything.
function because(problems: XProblem[] | undefined): string {
  return problems?.length ? ` (${problemText(problems)})` : '';
}

// What X said went wrong, from a problem or a list of them; never anything the request carried.
function problemText(problems: XProblem | XProblem[] | null | undefined): string {
  const first = [problems ?? []].flat()[0];
  const text = [first?.title, first?.detail].filter((s) => typeof s === 'string' && s).join(': ');
  return (text || 'no reason given').slice(0, 200);
}
