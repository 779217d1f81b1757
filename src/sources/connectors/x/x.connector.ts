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
import { X_MAX_WEIGHT, decodeXText, xTextLength } from './x-text.js';
import { XTokens } from './x-tokens.js';
import type { XIncludes, XListResponse, XProblem, XSingleResponse, XTweet, XUser } from './x.types.js';

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

  constructor(
    private readonly source: ResolvedSource,
    clock: Clock,
    credentials: CredentialStore,
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
  async fetchNew(cursor: Record<string, string>): Promise<FetchPage> {
    const settings = this.source.x!;
    const me = await this.me();
    const keywords = new Map(settings.keywords.map((q) => [searchFeed(q), q]));
    const feeds = [MENTIONS, ...keywords.keys()];
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
    return { posts: unique, cursor: next, hasMore: walkUnderWay(next, feeds), rateLimit: tightest(limits) };
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
    const limit = readRateLimit(response.headers as Record<string, unknown>);
    const status = response.status;
    const what = `${method} ${path}: HTTP ${status}`;
    if (status === 429) throw new ConnectorError('RATE_LIMITED', what, limit?.resetAt ?? new Date(Date.now() + X_WINDOW_MS));
    if (status === 401) throw new ConnectorError('AUTH_EXPIRED', `${what}: X refused the access token`);
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
