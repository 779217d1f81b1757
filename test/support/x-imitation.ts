import { randomBytes } from 'node:crypto';
import http, { type IncomingHttpHeaders, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

// The X API v2 on loopback. Bodies follow the recordings in ../shared/contracts/x
// (cassettes-decoded: tweepy; postman-examples: X's Postman collection): `data`, `includes` and
// `meta` with newest_id, oldest_id, result_count and next_token; only id, text and
// edit_history_tweet_ids unless fields are asked for; errors as RFC 7807 problems; epoch-second
// x-rate-limit-* headers; a 429 as the recorded text/plain "Rate limit exceeded".
// The filtered stream and its rules answer the app-only bearer token: rules as in X's Postman
// examples (201 when rules were created, a problem per rule refused), and the stream as X serves
// it: chunked newline-delimited JSON, each post with `data`, `includes` and `matching_rules`, and a
// bare \r\n as keep-alive. A second connection is refused with 429 TooManyConnections, as recorded.

export interface XAccount {
  id: string;
  username: string;
  name: string;
  followers: number;
}

// 'drop': X makes the post, and the answer never comes (the client times out).
// 'shapeless': a 200 whose body is JSON but not what X documents.
export type XFault = '429' | '500' | '503' | 'timeout' | 'malformed' | 'shapeless' | '401' | 'drop';

export type XEndpoint = 'users/me' | 'mentions' | 'search' | 'user-tweets' | 'tweet' | 'create' | 'stream' | 'rules' | 'rules-update';

// How a stream connection fails: refused with a 429 TooManyConnections or a 503, or, once open,
// cut ('drop') or left open with nothing sent, not even keep-alives ('silence').
export type XStreamFault = 'too-many-connections' | '503';

export interface XRuleJson {
  id: string;
  value: string;
  tag?: string;
}

// A post with every field the imitation serves, and its author: what a test looks at.
export interface XPostJson {
  id: string;
  text: string;
  author_id: string;
  conversation_id: string;
  created_at: string;
  lang: string;
  referenced_tweets?: { type: string; id: string }[];
  in_reply_to_user_id?: string;
  author: { id: string; username: string; name: string };
  [field: string]: unknown;
}

export interface XRecordedRequest {
  method: string;
  path: string;
  query: Record<string, string>;
  headers: IncomingHttpHeaders;
  body: unknown;
  bodyEncoding: 'json' | 'form' | null;
  // When it arrived (epoch ms).
  at: number;
  // null while unanswered ('timeout' and 'drop' never answer)
  status: number | null;
  response: { contentType: string; text: string; headers: Record<string, string> } | null;
}

export interface XImitationOptions {
  brandUsername?: string;
  accessToken?: string;
  refreshToken?: string;
  clientId?: string;
  // A confidential client: the token endpoint then wants Basic authentication.
  clientSecret?: string;
  limits?: Partial<Record<XEndpoint, number>>;
  // The app's OAuth 2.0 app-only bearer token: the filtered stream and its rules take only this.
  bearerToken?: string;
  // X sends a keep-alive every 20 seconds.
  streamKeepAliveMs?: number;
  // Open connections the app may hold at once.
  streamConnections?: number;
}

interface AccountRecord extends XAccount {
  createdAt: Date;
}

interface TweetRecord {
  id: bigint;
  author: AccountRecord;
  // As typed; escaped when served.
  text: string;
  mentions: AccountRecord[];
  inReplyTo: TweetRecord | null;
  retweetOf: TweetRecord | null;
  conversationId: bigint;
  lang: string;
  createdAt: Date;
  deleted: boolean;
}

interface RuleRecord {
  id: bigint;
  value: string;
  tag?: string;
  matches: (t: TweetRecord) => boolean;
}

interface StreamConnection {
  res: ServerResponse;
  record: XRecordedRequest;
  fields: Fields;
  keepAlive: NodeJS.Timeout;
  silent: boolean;
}

interface PendingFault {
  fault: XFault;
  remaining: number;
  skip: number;
  path: string;
  method: string | null;
  resetInSeconds: number;
}

interface Answer {
  status: number;
  body: unknown;
  contentType?: string;
  headers?: Record<string, string>;
}

interface PageToken {
  signature: string;
  until: bigint;
}

const WINDOW_MS = 15 * 60_000;
// Per-user limits a 15-minute window for an OAuth 2.0 user token: users/me as recorded (75), the
// mention timeline 180 (X's v2 timelines guide), recent search 300, lookups and the brand's own
// timeline 900, posting 100 (X's rate-limit table).
// The stream's per-app limits at Pro: 50 connections, 450 rule reads and 100 rule changes.
const DEFAULT_LIMITS: Record<XEndpoint, number> = {
  'users/me': 75,
  mentions: 180,
  search: 300,
  'user-tweets': 900,
  tweet: 900,
  create: 100,
  stream: 50,
  rules: 450,
  'rules-update': 100,
};
const STREAM_PATH = '/2/tweets/search/stream';
const RULES_PATH = '/2/tweets/search/stream/rules';
// A rule's value as X takes it (Pro): at most 1,024 characters.
const RULE_MAX_LENGTH = 1024;
const TOKEN_SECONDS = 7200;
const SCOPE = 'tweet.read tweet.write users.read offline.access';
const SEARCH_WINDOW_MS = 7 * 24 * 60 * 60_000;
const TWITTER_EPOCH = 1288834974657n;
const MAX_WEIGHT = 280;
const TWEET_FIELDS = new Set(['author_id', 'conversation_id', 'created_at', 'lang', 'referenced_tweets', 'in_reply_to_user_id', 'public_metrics', 'entities', 'edit_history_tweet_ids', 'id', 'text']);
const USER_FIELDS = new Set(['public_metrics', 'created_at', 'description', 'protected', 'verified', 'id', 'name', 'username']);
const EXPANSIONS = new Set(['author_id', 'referenced_tweets.id', 'referenced_tweets.id.author_id', 'in_reply_to_user_id', 'entities.mentions.username']);

const problem = (status: number, title: string, detail = title, type = 'about:blank'): Answer => ({
  status,
  contentType: 'application/problem+json',
  body: { title, detail, type, status },
});
const UNAUTHORIZED = problem(401, 'Unauthorized');
const USER_CONTEXT_FORBIDDEN = problem(
  403,
  'Unsupported Authentication',
  'Authenticating with OAuth 2.0 User Context is forbidden for this endpoint.  Supported authentication types are [OAuth 2.0 Application-Only].',
  'https://api.twitter.com/2/problems/unsupported-authentication',
);
// As recorded (Postman: "429 - Too Many Requests" of the filtered stream), application/json.
const TOO_MANY_CONNECTIONS: Answer = {
  status: 429,
  body: {
    title: 'ConnectionException',
    detail: 'This stream is currently at the maximum allowed connection limit.',
    connection_issue: 'TooManyConnections',
    type: 'https://api.twitter.com/2/problems/streaming-connection',
  },
};
const NOT_FOUND = problem(404, 'Not Found Error', 'The requested resource was not found', 'https://api.twitter.com/2/problems/resource-not-found');

export class XImitation {
  readonly requests: XRecordedRequest[] = [];
  readonly brand: XAccount;
  // The user access token the brand's app was given when it was authorised.
  readonly accessToken: string;
  readonly clientId: string;
  readonly clientSecret: string | null;
  readonly bearerToken: string;

  private readonly limits: Record<XEndpoint, number>;
  private readonly accounts: AccountRecord[] = [];
  private readonly tweets: TweetRecord[] = [];
  private readonly accessTokens = new Map<string, { expiresAt: number | null }>();
  // Every refresh token ever issued, and whether it was spent: X's work once.
  private readonly refreshTokens = new Map<string, { spent: boolean }>();
  private readonly pageTokens = new Map<string, PageToken>();
  private readonly windows = new Map<XEndpoint, { start: number; used: number }>();
  private readonly held = new Set<ServerResponse>();
  private faults: PendingFault[] = [];
  private readonly rules: RuleRecord[] = [];
  private readonly streams = new Set<StreamConnection>();
  private streamFaults: XStreamFault[] = [];
  private readonly keepAliveMs: number;
  private readonly maxStreams: number;
  private lastId = 0n;
  private refusingRefresh = false;
  private newestRefreshToken: string | null;

  private constructor(
    private readonly server: http.Server,
    readonly url: string,
    opts: XImitationOptions,
  ) {
    this.limits = { ...DEFAULT_LIMITS, ...opts.limits };
    this.accessToken = opts.accessToken ?? 'x-user-token';
    this.accessTokens.set(this.accessToken, { expiresAt: null });
    this.newestRefreshToken = opts.refreshToken ?? null;
    if (opts.refreshToken) this.refreshTokens.set(opts.refreshToken, { spent: false });
    this.clientId = opts.clientId ?? 'paradox-client';
    this.clientSecret = opts.clientSecret ?? null;
    this.bearerToken = opts.bearerToken ?? 'x-app-bearer-token';
    this.keepAliveMs = opts.streamKeepAliveMs ?? 20_000;
    this.maxStreams = opts.streamConnections ?? 1;
    this.brand = this.addAccount(opts.brandUsername ?? 'acme', { name: 'Acme', followers: 50_000 });
  }

  static async start(opts: XImitationOptions = {}): Promise<XImitation> {
    const server = http.createServer();
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(0, '127.0.0.1', resolve);
    });
    const { port } = server.address() as AddressInfo;
    const imitation = new XImitation(server, `http://127.0.0.1:${port}`, opts);
    // A bug in the imitation should fail the test loudly, not leave the client waiting.
    server.on('request', (req, res) => imitation.handle(req, res).catch((err) => res.writeHead(500).end(String(err?.stack ?? err))));
    return imitation;
  }

  async stop(): Promise<void> {
    this.dropStreams();
    for (const res of this.held) res.destroy();
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  // The refresh token X issued last: the only one that still works.
  get refreshToken(): string | null {
    return this.newestRefreshToken;
  }

  addAccount(username: string, opts: { name?: string; followers?: number } = {}): XAccount {
    if (this.findAccount(username)) throw new Error(`@${username} already exists`);
    const now = new Date();
    const account: AccountRecord = {
      id: String(1_000_000 + this.accounts.length * 7919),
      username,
      name: opts.name ?? username,
      followers: opts.followers ?? 0,
      createdAt: new Date(Math.floor(now.getTime() / 1000) * 1000),
    };
    this.accounts.push(account);
    return { id: account.id, username, name: account.name, followers: account.followers };
  }

  // A post as the account's app would make it: a reply gets the handles of the thread in front.
  post(account: XAccount, text: string, opts: { inReplyTo?: string; lang?: string; createdAt?: Date } = {}): XPostJson {
    const parent = opts.inReplyTo === undefined ? null : this.findTweet(opts.inReplyTo);
    if (parent === undefined) throw new Error(`no post ${opts.inReplyTo} to reply to`);
    const tweet = this.createTweet(this.accountRecord(account), text, parent, opts.lang ?? 'en', opts.createdAt ?? new Date());
    return this.fullJson(tweet);
  }

  retweet(account: XAccount, id: string): XPostJson {
    const original = this.findTweet(id);
    if (!original) throw new Error(`no post ${id} to retweet`);
    const author = this.accountRecord(account);
    const text = `RT @${original.author.username}: ${original.text}`;
    const tweet: TweetRecord = { ...this.record(author, text, null, original.lang, new Date()), retweetOf: original };
    this.tweets.push(tweet);
    this.broadcast(tweet);
    return this.fullJson(tweet);
  }

  delete(id: string): void {
    const tweet = this.findTweet(id);
    if (!tweet) throw new Error(`no post ${id}`);
    tweet.deleted = true;
  }

  tweetsBy(account: XAccount): XPostJson[] {
    return this.tweets.filter((t) => !t.deleted && t.author.id === account.id).map((t) => this.fullJson(t));
  }

  repliesTo(id: string): XPostJson[] {
    return this.tweets.filter((t) => !t.deleted && t.inReplyTo?.id.toString() === id).map((t) => this.fullJson(t));
  }

  failNext(fault: XFault, opts: { count?: number; after?: number; path?: string; method?: string; resetInSeconds?: number } = {}): void {
    this.faults.push({
      fault,
      remaining: opts.count ?? 1,
      skip: opts.after ?? 0,
      path: opts.path ?? '',
      method: opts.method ?? null,
      resetInSeconds: opts.resetInSeconds ?? 60,
    });
  }

  // Every access token issued so far stops working, as two hours after issue.
  expireAccessTokens(): void {
    for (const token of this.accessTokens.values()) token.expiresAt = 0;
  }

  // The app's authorisation revoked: no refresh token works any more.
  refuseRefresh(): void {
    this.refusingRefresh = true;
  }

  // A rule set up by someone else on the same app (or left by an earlier run).
  addRule(value: string, tag?: string): XRuleJson {
    const rule: RuleRecord = { id: this.nextId(new Date()), value, ...(tag === undefined ? {} : { tag }), matches: parseQuery(value) };
    this.rules.push(rule);
    return ruleJson(rule);
  }

  get streamRules(): XRuleJson[] {
    return this.rules.map(ruleJson);
  }

  get openStreams(): number {
    return this.streams.size;
  }

  // The next connection attempts are refused.
  refuseStreams(fault: XStreamFault, count = 1): void {
    for (let i = 0; i < count; i++) this.streamFaults.push(fault);
  }

  // Cuts every open stream, as a restart of X's streaming servers does.
  dropStreams(): void {
    for (const stream of this.streams) this.closeStream(stream, true);
  }

  // Open streams stay open and send nothing more, not even keep-alives: a stall.
  silenceStreams(): void {
    for (const stream of this.streams) {
      stream.silent = true;
      clearInterval(stream.keepAlive);
    }
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', this.url);
    const method = req.method ?? 'GET';
    const raw = await readBody(req);
    const contentType = String(req.headers['content-type'] ?? '');
    const form = contentType.includes('application/x-www-form-urlencoded');
    const record: XRecordedRequest = {
      method,
      path: url.pathname,
      query: Object.fromEntries(url.searchParams),
      headers: req.headers,
      body: raw ? (form ? Object.fromEntries(new URLSearchParams(raw)) : parseJson(raw)) : undefined,
      bodyEncoding: raw ? (form ? 'form' : 'json') : null,
      at: Date.now(),
      status: null,
      response: null,
    };
    this.requests.push(record);

    const fault = this.takeFault(method, url.pathname);
    if (fault?.fault === 'timeout') return this.hold(res);
    if (method === 'POST' && url.pathname === '/2/oauth2/token') {
      if (fault?.fault === '500' || fault?.fault === '503') return this.send(res, record, problem(Number(fault.fault), 'Service Unavailable'));
      return this.send(res, record, this.token(record));
    }

    const endpoint = endpointOf(method, url.pathname);
    const headers: Record<string, string> = {};
    if (endpoint) {
      const window = this.consume(endpoint);
      Object.assign(headers, {
        'x-rate-limit-limit': String(this.limits[endpoint]),
        'x-rate-limit-remaining': String(window.remaining),
        'x-rate-limit-reset': String(Math.ceil(window.reset / 1000)),
      });
      if (fault?.fault === '429' || window.exhausted) {
        headers['x-rate-limit-remaining'] = '0';
        if (fault) headers['x-rate-limit-reset'] = String(Math.floor(Date.now() / 1000) + fault.resetInSeconds);
        return this.send(res, record, { status: 429, contentType: 'text/plain;charset=utf-8', body: 'Rate limit exceeded\n', headers });
      }
    }
    if (fault?.fault === '500') return this.send(res, record, { ...problem(500, 'Internal Server Error'), headers });
    if (fault?.fault === '503') return this.send(res, record, { ...problem(503, 'Service Unavailable'), headers });
    if (endpoint === 'stream' || endpoint === 'rules' || endpoint === 'rules-update') {
      // The stream and its rules belong to the app: a user's token is the wrong kind.
      const token = /^Bearer (.+)$/.exec(req.headers.authorization ?? '')?.[1];
      if (token !== this.bearerToken) return this.send(res, record, { ...(token && this.accessTokens.has(token) ? USER_CONTEXT_FORBIDDEN : UNAUTHORIZED), headers });
      if (endpoint === 'stream') return this.openStream(res, record, headers);
      return this.send(res, record, { ...(endpoint === 'rules' ? this.listRules(record.query) : this.updateRules(record)), headers });
    }
    if (fault?.fault === '401' || !this.authorised(req.headers.authorization)) return this.send(res, record, { ...UNAUTHORIZED, headers });

    const answer = this.route(method, url.pathname, record);
    answer.headers = { ...headers, ...answer.headers };
    if (fault?.fault === 'drop') return this.hold(res);
    if (fault?.fault === 'malformed') {
      const json = JSON.stringify(answer.body);
      return this.send(res, record, { ...answer, status: 200, body: json.slice(0, Math.max(1, Math.floor(json.length / 2))) });
    }
    if (fault?.fault === 'shapeless') return this.send(res, record, { ...answer, status: 200, body: { statuses: [], search_metadata: { count: 0 } } });
    this.send(res, record, answer);
  }

  // Newline-delimited JSON, chunked, for as long as the client reads: each post that matches a rule
  // of the app, with the fields the connection asked for, and a keep-alive \r\n in between.
  private openStream(res: ServerResponse, record: XRecordedRequest, headers: Record<string, string>): void {
    const fields = requested(record.query);
    if (fields.errors.length) return this.send(res, record, { ...invalidRequest(fields.errors), headers });
    const refused = this.streamFaults.shift();
    if (refused === '503') return this.send(res, record, { ...problem(503, 'Service Unavailable'), headers });
    if (refused === 'too-many-connections' || this.streams.size >= this.maxStreams) return this.send(res, record, { ...TOO_MANY_CONNECTIONS, headers });
    const contentType = 'application/json; charset=utf-8';
    record.status = 200;
    record.response = { contentType, text: '', headers };
    res.writeHead(200, { 'content-type': contentType, 'cache-control': 'no-cache, no-store, max-age=0', 'api-version': '2.159', ...headers });
    res.flushHeaders();
    const stream: StreamConnection = { res, record, fields, silent: false, keepAlive: setInterval(() => this.write(stream, '\r\n'), this.keepAliveMs) };
    this.streams.add(stream);
    res.on('close', () => this.closeStream(stream, false));
  }

  private closeStream(stream: StreamConnection, cut: boolean): void {
    clearInterval(stream.keepAlive);
    this.streams.delete(stream);
    if (cut) stream.res.destroy();
  }

  private write(stream: StreamConnection, text: string): void {
    if (stream.silent || stream.res.destroyed) return;
    stream.record.response!.text += text;
    stream.res.write(text);
  }

  // A new post goes to every open stream whose app has a rule it matches.
  private broadcast(tweet: TweetRecord): void {
    const matching = this.rules.filter((r) => r.matches(tweet)).map((r) => ({ id: r.id.toString(), ...(r.tag === undefined ? {} : { tag: r.tag }) }));
    if (!matching.length) return;
    for (const stream of this.streams) {
      const message = { data: this.tweetJson(tweet, stream.fields.tweet), ...this.expansions([tweet], stream.fields), matching_rules: matching };
      this.write(stream, `${JSON.stringify(message)}\r\n`);
    }
  }

  private listRules(query: Record<string, string>): Answer {
    const max = query.max_results === undefined ? 1000 : Number(query.max_results);
    if (!Number.isInteger(max) || max < 1 || max > 1000) return invalidRequest([`The \`max_results\` query parameter value [${query.max_results}] is not between 1 and 1000`]);
    const ids = query.ids === undefined ? null : new Set(query.ids.split(','));
    const all = this.rules.filter((r) => ids === null || ids.has(r.id.toString()));
    let from = 0;
    if (query.pagination_token !== undefined) {
      const token = this.pageTokens.get(query.pagination_token);
      if (!token || token.signature !== RULES_PATH) return invalidRequest([`The \`pagination_token\` query parameter value [${query.pagination_token}] is not valid`]);
      from = all.findIndex((r) => r.id > token.until);
      if (from < 0) from = all.length;
    }
    const page = all.slice(from, from + max);
    const meta: Record<string, unknown> = { sent: new Date().toISOString(), result_count: page.length };
    if (from + max < all.length) {
      // Rule tokens are 16 characters (the spec's pagination_token).
      const next = pageToken().slice(0, 16);
      this.pageTokens.set(next, { signature: RULES_PATH, until: page[page.length - 1].id });
      meta.next_token = next;
    }
    return { status: 200, body: { ...(page.length ? { data: page.map(ruleJson) } : {}), meta } };
  }

  // { add: [{ value, tag }] } or { delete: { ids, values } }; with dry_run=true nothing changes.
  private updateRules(request: XRecordedRequest): Answer {
    const body = request.body;
    const dryRun = request.query.dry_run === 'true';
    const schemaError = (parameter: string): Answer => ({
      status: 400,
      contentType: 'application/problem+json',
      body: {
        errors: [{ parameters: { [parameter]: [] }, message: "JSON doesn't match expected schema", details: [] }],
        title: 'Invalid Request',
        detail: 'One or more parameters to your request was invalid.',
        type: 'https://api.twitter.com/2/problems/invalid-request',
      },
    });
    if (request.bodyEncoding !== 'json' || !isObject(body) || Object.keys(body).length !== 1) return schemaError('add');
    const sent = new Date().toISOString();
    if (Array.isArray(body.add)) {
      const rules = body.add as unknown[];
      if (!rules.length || !rules.every((r) => isObject(r) && typeof r.value === 'string' && (r.tag === undefined || typeof r.tag === 'string'))) {
        return { status: 400, contentType: 'application/problem+json', body: { errors: [{ parameters: { 'add.value': [] }, message: 'field is required' }], title: 'Invalid Request', detail: 'One or more parameters to your request was invalid.', type: 'https://api.twitter.com/2/problems/invalid-request' } };
      }
      const created: RuleRecord[] = [];
      const errors: Record<string, unknown>[] = [];
      for (const { value, tag } of rules as { value: string; tag?: string }[]) {
        const invalid = ruleProblems(value);
        const duplicate = [...this.rules, ...created].find((r) => r.value === value);
        if (invalid.length) errors.push({ value, details: invalid, title: 'UnprocessableEntity', type: 'https://api.twitter.com/2/problems/invalid-rules' });
        else if (duplicate) errors.push({ value, id: duplicate.id.toString(), title: 'DuplicateRule', type: 'https://api.twitter.com/2/problems/duplicate-rules' });
        else created.push({ id: this.nextId(new Date()), value, ...(tag === undefined ? {} : { tag }), matches: parseQuery(value) });
      }
      if (!dryRun) this.rules.push(...created);
      const invalid = errors.filter((e) => String(e.type).endsWith('invalid-rules')).length;
      const summary = { created: created.length, not_created: rules.length - created.length, valid: rules.length - invalid, invalid };
      // As recorded: 201 when rules were (or would be) created, 200 when none was.
      return {
        status: created.length ? 201 : 200,
        body: { ...(created.length ? { data: created.map(ruleJson) } : {}), meta: { sent, summary }, ...(errors.length ? { errors } : {}) },
      };
    }
    const remove = body.delete;
    const listOf = (value: unknown) => (value === undefined ? [] : Array.isArray(value) && value.every((v) => typeof v === 'string') ? (value as string[]) : null);
    const ids = isObject(remove) ? listOf(remove.ids) : null;
    const values = isObject(remove) ? listOf(remove.values) : null;
    if (ids === null || values === null || ids.length + values.length === 0) return schemaError('delete');
    const gone = this.rules.filter((r) => ids.includes(r.id.toString()) || values.includes(r.value));
    if (!dryRun) for (const rule of gone) this.rules.splice(this.rules.indexOf(rule), 1);
    return { status: 200, body: { meta: { sent, summary: { deleted: gone.length, not_deleted: ids.length + values.length - gone.length } } } };
  }

  private hold(res: ServerResponse): void {
    this.held.add(res);
    res.on('close', () => this.held.delete(res));
  }

  private send(res: ServerResponse, record: XRecordedRequest, answer: Answer): void {
    const contentType = answer.contentType ?? 'application/json; charset=utf-8';
    const text = typeof answer.body === 'string' ? answer.body : JSON.stringify(answer.body);
    record.status = answer.status;
    record.response = { contentType, text, headers: answer.headers ?? {} };
    res.writeHead(answer.status, { 'content-type': contentType, 'cache-control': 'no-cache, no-store, max-age=0', 'api-version': '2.159', ...answer.headers });
    res.end(text);
  }

  private route(method: string, path: string, request: XRecordedRequest): Answer {
    const query = request.query;
    const fields = requested(query);
    if (fields.errors.length) return invalidRequest(fields.errors);
    if (method === 'GET' && path === '/2/users/me') return { status: 200, body: { data: this.userJson(this.brandRecord(), fields.user) } };
    if (method === 'GET' && path === '/2/tweets/search/recent') return this.search(request, fields);
    if (method === 'POST' && path === '/2/tweets') return this.create(request);
    const timeline = /^\/2\/users\/(\d+)\/(mentions|tweets)$/.exec(path);
    if (method === 'GET' && timeline) {
      const user = this.accounts.find((a) => a.id === timeline[1]);
      if (!user) return { status: 200, body: { errors: [notFound('id', timeline[1], 'user')] } };
      if (timeline[2] === 'mentions') {
        const items = this.visible().filter((t) => t.author.id !== user.id && t.mentions.some((m) => m.id === user.id));
        return this.page(path, query, items, fields, { min: 5, max: 100, default: 10, token: 'pagination_token', previous: true });
      }
      const excluded = (query.exclude ?? '').split(',');
      const items = this.visible().filter(
        (t) => t.author.id === user.id && !(excluded.includes('retweets') && t.retweetOf) && !(excluded.includes('replies') && t.inReplyTo),
      );
      return this.page(path, query, items, fields, { min: 5, max: 100, default: 10, token: 'pagination_token', previous: true });
    }
    const single = /^\/2\/tweets\/(\d+)$/.exec(path);
    if (method === 'GET' && single) {
      const tweet = this.findTweet(single[1]);
      // X answers a post that is gone with a 200 and a problem, as recorded.
      if (!tweet || tweet.deleted) return { status: 200, body: { errors: [notFound('id', single[1], 'tweet')] } };
      return { status: 200, body: { data: this.tweetJson(tweet, fields.tweet), ...this.expansions([tweet], fields) } };
    }
    return NOT_FOUND;
  }

  private search(request: XRecordedRequest, fields: Fields): Answer {
    const { query } = request;
    if (!query.query) return invalidRequest(['The `query` query parameter can not be empty']);
    if (query.sort_order && !['recency', 'relevancy'].includes(query.sort_order)) return invalidRequest([`The \`sort_order\` query parameter value [${query.sort_order}] is not one of [recency, relevancy]`]);
    const matches = parseQuery(query.query);
    const since = Date.now() - SEARCH_WINDOW_MS;
    const items = this.visible().filter((t) => t.createdAt.getTime() >= since && matches(t));
    return this.page(request.path, query, items, fields, { min: 10, max: 100, default: 10, token: 'next_token', previous: false });
  }

  // Newest first. since_id and until_id bound the results; a page token continues below the
  // page it came with, for the same request.
  private page(path: string, query: Record<string, string>, items: TweetRecord[], fields: Fields, rules: { min: number; max: number; default: number; token: string; previous: boolean }): Answer {
    const max = query.max_results === undefined ? rules.default : Number(query.max_results);
    if (!Number.isInteger(max) || max < rules.min || max > rules.max) {
      return invalidRequest([`The \`max_results\` query parameter value [${query.max_results}] is not between ${rules.min} and ${rules.max}`]);
    }
    for (const key of ['since_id', 'until_id']) if (query[key] !== undefined && !/^\d{1,19}$/.test(query[key])) return invalidRequest([`The \`${key}\` query parameter value [${query[key]}] is not valid`]);
    const tokenValue = query.pagination_token ?? query.next_token;
    const signature = `${path}|${Object.entries(query).filter(([k]) => !['pagination_token', 'next_token'].includes(k)).sort().join('&')}`;
    let until = query.until_id === undefined ? null : BigInt(query.until_id);
    if (tokenValue !== undefined) {
      const token = this.pageTokens.get(tokenValue);
      if (!token || token.signature !== signature) return invalidRequest([`The \`${rules.token}\` query parameter value [${tokenValue}] is not valid`]);
      until = until === null || token.until < until ? token.until : until;
    }
    const since = query.since_id === undefined ? null : BigInt(query.since_id);
    const candidates = items.filter((t) => (since === null || t.id > since) && (until === null || t.id < until)).sort((a, b) => (a.id > b.id ? -1 : a.id < b.id ? 1 : 0));
    const page = candidates.slice(0, max);
    if (!page.length) return { status: 200, body: { meta: { result_count: 0 } } };
    const meta: Record<string, unknown> = { newest_id: page[0].id.toString(), oldest_id: page[page.length - 1].id.toString(), result_count: page.length };
    if (candidates.length > page.length) {
      const next = pageToken();
      this.pageTokens.set(next, { signature, until: page[page.length - 1].id });
      meta.next_token = next;
    }
    if (rules.previous && tokenValue !== undefined) meta.previous_token = pageToken();
    return { status: 200, body: { data: page.map((t) => this.tweetJson(t, fields.tweet)), ...this.expansions(page, fields), meta } };
  }

  private create(request: XRecordedRequest): Answer {
    if (request.bodyEncoding !== 'json' || !isObject(request.body)) return invalidRequest(['The request body is not valid JSON']);
    const body = request.body;
    const known = new Set(['text', 'reply', 'quote_tweet_id', 'reply_settings', 'for_super_followers_only', 'nullcast', 'media', 'poll', 'geo']);
    const unknown = Object.keys(body).filter((k) => !known.has(k));
    if (unknown.length) return invalidRequest(unknown.map((k) => `The \`${k}\` field is not allowed`));
    const text = typeof body.text === 'string' ? body.text : '';
    if (!text.trim()) return invalidRequest(['The `text` field can not be empty']);
    if (weight(text) > MAX_WEIGHT) return problem(403, 'Forbidden', 'You are not permitted to create a Tweet longer than 280 characters.');
    let parent: TweetRecord | null = null;
    if (body.reply !== undefined) {
      const reply = body.reply as Record<string, unknown>;
      if (!isObject(reply) || typeof reply.in_reply_to_tweet_id !== 'string') return invalidRequest(['The `reply.in_reply_to_tweet_id` field is required']);
      const found = this.findTweet(reply.in_reply_to_tweet_id);
      if (!found || found.deleted) return problem(403, 'Forbidden', 'You attempted to reply to a Tweet that is deleted or not visible to you.');
      parent = found;
    }
    const author = this.brandRecord();
    // X refuses an account's second post with the same text.
    if (this.tweets.some((t) => !t.deleted && t.author === author && t.text === this.threadHandles(author, parent, text) + text)) {
      return problem(403, 'Forbidden', 'You are not allowed to create a Tweet with duplicate content.');
    }
    const tweet = this.createTweet(author, text, parent, 'en', new Date());
    // As recorded: 201 with the new post's id and text, and its address in Location.
    return { status: 201, body: { data: { id: tweet.id.toString(), text: escapeText(tweet.text) } }, headers: { location: `https://api.twitter.com/2/tweets/${tweet.id}` } };
  }

  private token(record: XRecordedRequest): Answer {
    const json = (status: number, body: unknown): Answer => ({ status, body });
    if (record.bodyEncoding !== 'form' || !isObject(record.body)) return json(400, { error: 'invalid_request', error_description: 'Missing required parameter [grant_type].' });
    const form = record.body as Record<string, string>;
    if (this.clientSecret) {
      const expected = `Basic ${Buffer.from(`${this.clientId}:${this.clientSecret}`).toString('base64')}`;
      if (record.headers.authorization !== expected) return json(401, { error: 'unauthorized_client', error_description: 'Missing valid authorization header' });
    } else if (form.client_id !== this.clientId) {
      return json(400, { error: 'invalid_request', error_description: 'Missing required parameter [client_id].' });
    }
    if (form.grant_type !== 'refresh_token') return json(400, { error: 'invalid_request', error_description: 'Value passed for the grant type was invalid.' });
    const known = this.refreshTokens.get(form.refresh_token ?? '');
    if (!known || known.spent || this.refusingRefresh) return json(400, { error: 'invalid_request', error_description: 'Value passed for the token was invalid.' });
    known.spent = true;
    const accessToken = randomToken();
    const refreshToken = randomToken();
    this.accessTokens.set(accessToken, { expiresAt: Date.now() + TOKEN_SECONDS * 1000 });
    this.refreshTokens.set(refreshToken, { spent: false });
    this.newestRefreshToken = refreshToken;
    return json(200, { token_type: 'bearer', expires_in: TOKEN_SECONDS, access_token: accessToken, scope: SCOPE, refresh_token: refreshToken });
  }

  private authorised(header: string | undefined): boolean {
    const token = /^Bearer (.+)$/.exec(header ?? '')?.[1];
    const known = token === undefined ? undefined : this.accessTokens.get(token);
    return !!known && (known.expiresAt === null || known.expiresAt > Date.now());
  }

  private createTweet(author: AccountRecord, typed: string, parent: TweetRecord | null, lang: string, createdAt: Date): TweetRecord {
    const tweet = this.record(author, this.threadHandles(author, parent, typed) + typed, parent, lang, createdAt);
    this.tweets.push(tweet);
    this.broadcast(tweet);
    return tweet;
  }

  private record(author: AccountRecord, text: string, parent: TweetRecord | null, lang: string, createdAt: Date): TweetRecord {
    const id = this.nextId(createdAt);
    const mentions = [...new Set([...text.matchAll(/(?<![\w@])@(\w{1,15})/g)].map((m) => this.findAccount(m[1])).filter((a): a is AccountRecord => !!a))];
    return {
      id,
      author,
      text,
      mentions,
      inReplyTo: parent,
      retweetOf: null,
      conversationId: parent ? parent.conversationId : id,
      lang,
      // X reports times to the second.
      createdAt: new Date(Math.floor(createdAt.getTime() / 1000) * 1000),
      deleted: false,
    };
  }

  // The handles X puts in front of a reply: the parent's author and those the parent named, never
  // the one replying, and none already typed in front.
  private threadHandles(author: AccountRecord, parent: TweetRecord | null, typed: string): string {
    if (!parent) return '';
    const typedInFront = (/^(?:@\w{1,15}\s+)*/.exec(typed)?.[0] ?? '').toLowerCase();
    return [parent.author, ...parent.mentions]
      .filter((a, i, all) => a.id !== author.id && all.findIndex((b) => b.id === a.id) === i && !typedInFront.includes(`@${a.username.toLowerCase()} `))
      .map((a) => `@${a.username} `)
      .join('');
  }

  // Snowflakes: milliseconds since X's epoch in the high bits, always increasing.
  private nextId(at: Date): bigint {
    const candidate = (BigInt(at.getTime()) - TWITTER_EPOCH) << 22n;
    this.lastId = candidate > this.lastId ? candidate : this.lastId + 1n;
    return this.lastId;
  }

  private consume(endpoint: XEndpoint): { remaining: number; reset: number; exhausted: boolean } {
    const now = Date.now();
    let window = this.windows.get(endpoint);
    if (!window || now >= window.start + WINDOW_MS) this.windows.set(endpoint, (window = { start: now, used: 0 }));
    const reset = window.start + WINDOW_MS;
    if (window.used >= this.limits[endpoint]) return { remaining: 0, reset, exhausted: true };
    window.used += 1;
    return { remaining: this.limits[endpoint] - window.used, reset, exhausted: false };
  }

  private takeFault(method: string, path: string): PendingFault | undefined {
    const fault = this.faults.find((f) => path.startsWith(f.path) && (f.method === null || f.method === method));
    if (!fault) return undefined;
    if (fault.skip > 0) {
      fault.skip -= 1;
      return undefined;
    }
    fault.remaining -= 1;
    if (fault.remaining <= 0) this.faults = this.faults.filter((f) => f !== fault);
    return fault;
  }

  private expansions(tweets: TweetRecord[], fields: Fields): Record<string, unknown> {
    const users = new Map<string, AccountRecord>();
    const referenced = new Map<string, TweetRecord>();
    const errors: unknown[] = [];
    const refs = (t: TweetRecord) => [t.inReplyTo, t.retweetOf].filter((r): r is TweetRecord => !!r);
    for (const t of tweets) {
      if (fields.expansions.has('author_id')) users.set(t.author.id, t.author);
      if (fields.expansions.has('in_reply_to_user_id') && t.inReplyTo) users.set(t.inReplyTo.author.id, t.inReplyTo.author);
      if (fields.expansions.has('entities.mentions.username')) for (const m of t.mentions) users.set(m.id, m);
      if (fields.expansions.has('referenced_tweets.id')) {
        for (const r of refs(t)) {
          // A deleted post among the expansions: the rest of the answer stands, with a problem beside it.
          if (r.deleted) errors.push(notFound('referenced_tweets.id', r.id.toString(), 'tweet'));
          else referenced.set(r.id.toString(), r);
        }
      }
    }
    if (fields.expansions.has('referenced_tweets.id.author_id')) for (const r of referenced.values()) users.set(r.author.id, r.author);
    const includes: Record<string, unknown> = {};
    if (users.size) includes.users = [...users.values()].map((u) => this.userJson(u, fields.user));
    if (referenced.size) includes.tweets = [...referenced.values()].map((t) => this.tweetJson(t, fields.tweet));
    return { ...(Object.keys(includes).length ? { includes } : {}), ...(errors.length ? { errors } : {}) };
  }

  private tweetJson(t: TweetRecord, wanted: Set<string>): Record<string, unknown> {
    const id = t.id.toString();
    const json: Record<string, unknown> = { edit_history_tweet_ids: [id], id, text: escapeText(t.text) };
    if (wanted.has('author_id')) json.author_id = t.author.id;
    if (wanted.has('conversation_id')) json.conversation_id = t.conversationId.toString();
    if (wanted.has('created_at')) json.created_at = t.createdAt.toISOString();
    if (wanted.has('lang')) json.lang = t.lang;
    if (wanted.has('in_reply_to_user_id') && t.inReplyTo) json.in_reply_to_user_id = t.inReplyTo.author.id;
    if (wanted.has('referenced_tweets')) {
      const refs = [
        ...(t.inReplyTo ? [{ type: 'replied_to', id: t.inReplyTo.id.toString() }] : []),
        ...(t.retweetOf ? [{ type: 'retweeted', id: t.retweetOf.id.toString() }] : []),
      ];
      if (refs.length) json.referenced_tweets = refs;
    }
    if (wanted.has('public_metrics')) {
      const replies = this.tweets.filter((r) => !r.deleted && r.inReplyTo === t).length;
      const retweets = this.tweets.filter((r) => !r.deleted && r.retweetOf === t).length;
      json.public_metrics = { retweet_count: retweets, reply_count: replies, like_count: 0, quote_count: 0, bookmark_count: 0, impression_count: 0 };
    }
    if (wanted.has('entities') && t.mentions.length) {
      const mentions = [...t.text.matchAll(/(?<![\w@])@(\w{1,15})/g)].flatMap((m) => {
        const account = this.findAccount(m[1]);
        const start = [...t.text.slice(0, m.index)].length;
        return account ? [{ start, end: start + m[0].length, username: account.username, id: account.id }] : [];
      });
      json.entities = { mentions };
    }
    return json;
  }

  private userJson(u: AccountRecord, wanted: Set<string>): Record<string, unknown> {
    const json: Record<string, unknown> = { id: u.id, name: u.name, username: u.username };
    if (wanted.has('created_at')) json.created_at = u.createdAt.toISOString();
    if (wanted.has('description')) json.description = '';
    if (wanted.has('protected')) json.protected = false;
    if (wanted.has('verified')) json.verified = false;
    if (wanted.has('public_metrics')) {
      const tweets = this.tweets.filter((t) => t.author === u && !t.deleted).length;
      json.public_metrics = { followers_count: u.followers, following_count: 0, tweet_count: tweets, listed_count: 0, like_count: 0 };
    }
    return json;
  }

  // Everything a test may want to look at: every field of the post, with its author.
  private fullJson(t: TweetRecord): XPostJson {
    return { ...this.tweetJson(t, TWEET_FIELDS), author: this.userJson(t.author, USER_FIELDS) } as XPostJson;
  }

  private visible(): TweetRecord[] {
    return this.tweets.filter((t) => !t.deleted);
  }

  private brandRecord(): AccountRecord {
    return this.accountRecord(this.brand);
  }

  private findAccount(username: string): AccountRecord | undefined {
    return this.accounts.find((a) => a.username.toLowerCase() === username.toLowerCase());
  }

  private accountRecord(account: XAccount): AccountRecord {
    const found = this.accounts.find((a) => a.id === account.id);
    if (!found) throw new Error(`@${account.username} is not an account of this imitation`);
    return found;
  }

  private findTweet(id: string): TweetRecord | undefined {
    return /^\d{1,19}$/.test(id) ? this.tweets.find((t) => t.id === BigInt(id)) : undefined;
  }
}

// The settings a test app needs for an X source on this imitation.
export function xSource(baseUrl: string, extra: Record<string, unknown> = {}, sourceExtra: Record<string, unknown> = {}) {
  return {
    brands: [{ id: 'acme', name: 'Acme', defaultLanguage: 'en', sla: { ackMinutes: 60 }, followUp: { delayMinutes: 4320 } }],
    sources: [
      {
        id: 'acme-x',
        brand: 'acme',
        type: 'x',
        pollSeconds: 60,
        x: { baseUrl, accessTokenEnv: 'T_X', keywords: [], timeoutMs: 500, ...extra },
        ...sourceExtra,
      },
    ],
    worker: { schedule: false, publishEveryMs: 200 },
  };
}

interface Fields {
  tweet: Set<string>;
  user: Set<string>;
  expansions: Set<string>;
  errors: string[];
}

function requested(query: Record<string, string>): Fields {
  const errors: string[] = [];
  const list = (key: string, allowed: Set<string>) => {
    const values = query[key] === undefined ? [] : query[key].split(',');
    for (const v of values) if (!allowed.has(v)) errors.push(`The \`${key}\` query parameter value [${v}] is not one of [${[...allowed].join(',')}]`);
    return new Set(values);
  };
  return { tweet: list('tweet.fields', TWEET_FIELDS), user: list('user.fields', USER_FIELDS), expansions: list('expansions', EXPANSIONS), errors };
}

// X's query language, the part Paradox and the tests use: terms (all must match), "exact
// phrases", -negation, OR between groups, @mentions, conversation_id:, from:, lang: and is:retweet/is:reply.
function parseQuery(query: string): (t: TweetRecord) => boolean {
  const groups = query.split(/\s+OR\s+/).map((group) =>
    [...group.matchAll(/(-?)(?:"([^"]+)"|(\S+))/g)].map(([, negated, phrase, word]) => {
      const test = termTest(phrase ?? word, phrase !== undefined);
      return negated ? (t: TweetRecord) => !test(t) : test;
    }),
  );
  return (t) => groups.some((terms) => terms.every((test) => test(t)));
}

function termTest(term: string, phrase: boolean): (t: TweetRecord) => boolean {
  const words = (text: string) => text.toLowerCase().split(/[^\p{L}\p{N}_@#']+/u);
  if (phrase) return (t) => ` ${words(t.text).join(' ')} `.includes(` ${words(term).join(' ')} `);
  const [operator, value] = term.includes(':') ? [term.slice(0, term.indexOf(':')), term.slice(term.indexOf(':') + 1)] : [null, term];
  // @name matches the posts that mention the account, as X's operator does.
  if (operator === null && value.startsWith('@')) return (t) => t.mentions.some((m) => `@${m.username}`.toLowerCase() === value.toLowerCase());
  switch (operator) {
    case 'conversation_id':
      return (t) => t.conversationId.toString() === value;
    case 'from':
      return (t) => t.author.username.toLowerCase() === value.toLowerCase();
    case 'lang':
      return (t) => t.lang === value;
    case 'is':
      return (t) => (value === 'retweet' ? !!t.retweetOf : value === 'reply' ? !!t.inReplyTo : false);
    default: {
      // A bare word does not match @acme or #acme: those are operators of their own.
      const wanted = value.toLowerCase().replace(/^[(]+|[)]+$/g, '');
      return (t) => words(t.text).includes(wanted);
    }
  }
}

function endpointOf(method: string, path: string): XEndpoint | null {
  if (method === 'GET' && path === '/2/users/me') return 'users/me';
  if (method === 'GET' && /^\/2\/users\/\d+\/mentions$/.test(path)) return 'mentions';
  if (method === 'GET' && /^\/2\/users\/\d+\/tweets$/.test(path)) return 'user-tweets';
  if (method === 'GET' && path === '/2/tweets/search/recent') return 'search';
  if (method === 'GET' && /^\/2\/tweets\/\d+$/.test(path)) return 'tweet';
  if (method === 'POST' && path === '/2/tweets') return 'create';
  if (method === 'GET' && path === STREAM_PATH) return 'stream';
  if (method === 'GET' && path === RULES_PATH) return 'rules';
  if (method === 'POST' && path === RULES_PATH) return 'rules-update';
  return null;
}

function ruleJson(rule: RuleRecord): XRuleJson {
  return { id: rule.id.toString(), value: rule.value, ...(rule.tag === undefined ? {} : { tag: rule.tag }) };
}

// Why X would refuse a rule: the few checks of X's rule syntax the tests need.
function ruleProblems(value: string): string[] {
  const problems: string[] = [];
  if (!value.trim()) problems.push('Rules must contain a non-negation term (at position 1)');
  if (value.length > RULE_MAX_LENGTH) problems.push(`Rule length exceeds the maximum of ${RULE_MAX_LENGTH} characters`);
  if ((value.match(/"/g) ?? []).length % 2) problems.push('Unterminated quoted string (at position 1)');
  if ((value.match(/\(/g) ?? []).length !== (value.match(/\)/g) ?? []).length) problems.push('Unbalanced parentheses (at position 1)');
  if (value.trim() && value.split(/\s+/).every((term) => term.startsWith('-'))) problems.push('Rules must contain a non-negation term (at position 1)');
  return problems;
}

function notFound(parameter: string, value: string, resourceType: 'tweet' | 'user') {
  const what = resourceType === 'tweet' ? 'tweet' : 'user';
  return {
    value,
    detail: `Could not find ${what} with ${parameter}: [${value}].`,
    title: 'Not Found Error',
    resource_type: resourceType,
    parameter,
    resource_id: value,
    type: 'https://api.twitter.com/2/problems/resource-not-found',
  };
}

function invalidRequest(messages: string[]): Answer {
  return {
    status: 400,
    contentType: 'application/problem+json',
    body: {
      errors: messages.map((message) => ({ parameters: {}, message })),
      title: 'Invalid Request',
      detail: 'One or more parameters to your request was invalid.',
      type: 'https://api.twitter.com/2/problems/invalid-request',
    },
  };
}

// X's own count (twitter-text v3): code points outside a few Latin ranges weigh 2, a link 23.
function weight(text: string): number {
  let sum = 0;
  for (const part of text.normalize('NFC').split(/(https?:\/\/\S+)/)) {
    if (/^https?:\/\//.test(part)) sum += 23;
    else for (const c of part) sum += c.codePointAt(0)! <= 0x10ff || (c.codePointAt(0)! >= 0x2000 && c.codePointAt(0)! <= 0x201f) ? 1 : 2;
  }
  return sum;
}

// X escapes these three in a post's text, and nothing else.
function escapeText(text: string): string {
  return text.replace(/[&<>]/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;' })[c] as string);
}

// X's tokens are base36, as recorded ("7140dibdnow9c7btw423i3sy3u5zupmkcpofxcsmxj48j").
function pageToken(): string {
  return [...randomBytes(45)].map((b) => (b % 36).toString(36)).join('');
}

function randomToken(): string {
  return randomBytes(48).toString('base64url');
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

function parseJson(raw: string): unknown {
  try {
    return JSON.parse(raw);
  } catch {
    return raw;
  }
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
