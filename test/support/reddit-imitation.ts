import http, { type IncomingHttpHeaders, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';

// Reddit's OAuth API on loopback. Bodies follow the recordings in
// ../shared/contracts/reddit/cassettes-decoded (asyncpraw and prawcore): Listings of t3 links and
// t1 comments paged with `before`/`after` fullnames, /api/comment's json.data.things, the token
// answer, and Reddit's failures (the 429 HTML page and its JSON form, {"error": 401}, {"error": 403}).

export interface RedditUser {
  id: string;
  name: string;
  fullname: string;
}

export type RedditFault =
  // The HTML page Reddit's edge answers to a client it finds too fast (prawcore's recording).
  | '429-html'
  // {"message": "Too Many Requests", "error": 429}
  | '429-json'
  | '500'
  // Never answers.
  | 'timeout'
  // Does the work, then answers half a JSON body.
  | 'malformed'
  // Does the work, then closes the connection without an answer.
  | 'drop-response'
  // {"error": 401} with WWW-Authenticate: invalid_token, whatever the token.
  | '401'
  // {"error": 403}, as prawcore recorded it.
  | '403'
  // POST /api/comment refused for the account's comment rate: json.errors RATELIMIT.
  | 'comment-ratelimit';

export interface RecordedRequest {
  method: string;
  path: string;
  query: Record<string, string>;
  headers: IncomingHttpHeaders;
  // A form body as fields; anything else as text.
  body: Record<string, string> | string | undefined;
  // null while unanswered
  status: number | null;
}

export interface ImitationOptions {
  brand?: string;
  clientId?: string;
  clientSecret?: string;
  password?: string;
  // Seconds an access token lives (Reddit: 3600, or 86400 for some grants).
  tokenSeconds?: number;
  // Requests per ten-minute window (Reddit: 100 a minute, averaged over ten minutes).
  rateLimit?: number;
  // Where things get their created_utc: a test passes its clock.
  now?: () => Date;
  // Time every answer takes, as Reddit's own does from far away.
  latencyMs?: number;
}

interface PendingFault {
  fault: RedditFault;
  remaining: number;
  pathPrefix: string;
  // Matching requests let through before the fault strikes.
  skip: number;
  retryAfter: number | null;
  resetSeconds: number | null;
}

interface ThingRecord {
  kind: 't1' | 't3';
  seq: number;
  id: string;
  author: RedditUser;
  subreddit: string;
  createdUtc: number;
  deleted: boolean;
  // t3
  title: string;
  selftext: string;
  // t1
  body: string;
  parent: ThingRecord | null;
  link: ThingRecord | null;
}

interface InboxItem {
  seq: number;
  kind: 't1' | 't4';
  // The comment (t1) or the message's own fields (t4).
  comment: ThingRecord | null;
  message: { id: string; author: RedditUser; subject: string; body: string; createdUtc: number } | null;
  type: 'comment_reply' | 'post_reply' | 'username_mention' | 'unknown';
}

interface Answer {
  status: number;
  body: unknown;
  headers?: Record<string, string>;
}

type Json = Record<string, unknown>;

const WINDOW_SECONDS = 600;
const MAX_LIMIT = 100;
const MAX_COMMENT = 10_000;

// Reddit's 429 page, as prawcore recorded it; the wait in its text follows Retry-After.
const TOO_MANY_REQUESTS_PAGE = (seconds: number) => `
<!doctype html>
<html>
  <head>
    <title>Too Many Requests</title>
    <style>
      body {
          font: small verdana, arial, helvetica, sans-serif;
          width: 600px;
          margin: 0 auto;
      }

      h1 {
          height: 40px;
          background: transparent url(//www.redditstatic.com/reddit.com.header.png) no-repeat scroll top right;
      }
    </style>
  </head>
  <body>
    <h1>whoa there, pardner!</h1>
    


<p>we're sorry, but you appear to be a bot and we've seen too many requests
from you lately. we enforce a hard speed limit on requests that appear to come
from bots to prevent abuse.</p>

<p>if you are not a bot but are spoofing one via your browser's user agent
string: please change your user agent string to avoid seeing this message
again.</p>

<p>please wait ${seconds} second(s) and try again.</p>

    <p>as a reminder to developers, we recommend that clients make no
    more than <a href="http://github.com/reddit/reddit/wiki/API">one
    request every two seconds</a> to avoid seeing this message.</p>
  </body>
</html>
`;

export class RedditImitation {
  readonly requests: RecordedRequest[] = [];
  readonly brand: RedditUser;
  readonly clientId: string;
  readonly clientSecret: string;
  readonly password: string;
  // Every access token issued, newest last.
  readonly issuedTokens: string[] = [];

  private readonly tokens = new Map<string, number>();
  private readonly users: RedditUser[] = [];
  private readonly things: ThingRecord[] = [];
  private readonly inbox: InboxItem[] = [];
  private faults: PendingFault[] = [];
  private seq = 0;
  private ids = { t1: 0x3a4f1e2c0, t2: 0x5f3c1a, t3: 0x3cd9a40, t4: 0x8b3e11c0 };
  private window = { start: 0, used: 0 };
  private readonly held = new Set<ServerResponse>();

  private constructor(
    private readonly server: http.Server,
    readonly url: string,
    private readonly options: ImitationOptions,
  ) {
    this.clientId = options.clientId ?? 'paradox-client';
    this.clientSecret = options.clientSecret ?? 'paradox-secret';
    this.password = options.password ?? 'brand-password';
    this.brand = this.addUser(options.brand ?? 'AcmeCare');
  }

  static async start(options: ImitationOptions = {}): Promise<RedditImitation> {
    const server = http.createServer();
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(0, '127.0.0.1', resolve);
    });
    const { port } = server.address() as AddressInfo;
    const imitation = new RedditImitation(server, `http://127.0.0.1:${port}`, options);
    // A bug in the imitation should fail the test loudly, not leave the client waiting.
    server.on('request', (req, res) => imitation.handle(req, res).catch((err) => res.writeHead(500).end(String(err?.stack ?? err))));
    return imitation;
  }

  async stop(): Promise<void> {
    for (const res of this.held) res.destroy();
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  addUser(name: string): RedditUser {
    if (this.users.some((u) => u.name.toLowerCase() === name.toLowerCase())) throw new Error(`u/${name} already exists`);
    const id = this.nextId('t2');
    const user = { id, name, fullname: `t2_${id}` };
    this.users.push(user);
    return user;
  }

  // A link (a self post) in a subreddit; its JSON as the listings show it.
  submit(author: RedditUser, subreddit: string, title: string, selftext = '', opts: { createdAt?: Date } = {}): Json {
    const link = this.record({ kind: 't3', author, subreddit, title, selftext, body: '', parent: null, link: null, createdAt: opts.createdAt });
    link.link = link;
    this.notifyMentions(link, selftext);
    return this.linkJson(link);
  }

  // A comment under a link or another comment, by its fullname.
  comment(author: RedditUser, parentFullname: string, body: string, opts: { createdAt?: Date } = {}): Json {
    const parent = this.find(parentFullname);
    if (!parent || parent.deleted) throw new Error(`no ${parentFullname} to comment on`);
    return this.commentJson(this.createComment(author, parent, body, opts.createdAt));
  }

  // A private message to the brand: it waits in the inbox beside the comment replies.
  message(author: RedditUser, subject: string, body: string): void {
    this.inbox.push({
      seq: ++this.seq,
      kind: 't4',
      comment: null,
      message: { id: this.nextId('t4'), author, subject, body, createdUtc: this.nowSeconds() },
      type: 'unknown',
    });
  }

  // The author deletes a link or comment: it leaves every listing, and `before` it answers nothing.
  delete(fullname: string): void {
    const thing = this.find(fullname);
    if (!thing) throw new Error(`no ${fullname}`);
    thing.deleted = true;
  }

  // Every issued token stops working, as when Reddit expires or revokes them early.
  expireTokens(): void {
    this.tokens.clear();
  }

  // The next request on the path (after `skip` of them) fails; `count` requests in a row.
  failNext(fault: RedditFault, opts: { count?: number; skip?: number; pathPrefix?: string; retryAfter?: number; resetSeconds?: number } = {}): void {
    this.faults.push({
      fault,
      remaining: opts.count ?? 1,
      skip: opts.skip ?? 0,
      pathPrefix: opts.pathPrefix ?? '/',
      retryAfter: opts.retryAfter ?? null,
      resetSeconds: opts.resetSeconds ?? null,
    });
  }

  commentsBy(user: RedditUser): Json[] {
    return this.things.filter((t) => t.kind === 't1' && t.author.id === user.id && !t.deleted).map((t) => this.commentJson(t));
  }

  repliesTo(fullname: string): Json[] {
    return this.things.filter((t) => t.kind === 't1' && !t.deleted && this.fullname(t.parent!) === fullname).map((t) => this.commentJson(t));
  }

  // Requests to the API (not to the token endpoint) in the current rate-limit window.
  get used(): number {
    return this.window.used;
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', this.url);
    const method = req.method ?? 'GET';
    const raw = await readBody(req);
    const path = url.pathname.length > 1 ? url.pathname.replace(/\/$/, '') : url.pathname;
    const record: RecordedRequest = {
      method,
      path,
      query: Object.fromEntries(url.searchParams),
      headers: req.headers,
      body: raw ? (String(req.headers['content-type']).includes('x-www-form-urlencoded') ? Object.fromEntries(new URLSearchParams(raw)) : raw) : undefined,
      status: null,
    };
    this.requests.push(record);
    if (this.options.latencyMs) await sleep(this.options.latencyMs);

    const fault = this.takeFault(path);
    if (fault?.fault === 'timeout') {
      this.held.add(res);
      res.on('close', () => this.held.delete(res));
      return;
    }
    if (path === '/api/v1/access_token' && method === 'POST') {
      if (fault?.fault === '429-json') return this.send(res, record, { status: 429, body: { message: 'Too Many Requests', error: 429 } });
      if (fault?.fault === '500') return this.send(res, record, { status: 500, body: { message: 'Internal Server Error', error: 500 } });
      return this.send(res, record, this.grant(req.headers.authorization, record.body));
    }

    const rate = this.countRequest();
    const rateHeaders = {
      'x-ratelimit-remaining': `${Math.max(0, rate.remaining)}.0`,
      'x-ratelimit-reset': String(rate.reset),
      'x-ratelimit-used': String(rate.used),
    };
    if (fault?.fault === '429-html') {
      // Reddit's edge page names only Retry-After; a test may add the window's headers.
      const headers: Record<string, string> = { 'content-type': 'text/html; charset=UTF-8', 'cache-control': 'max-age=0, must-revalidate' };
      if (fault.retryAfter !== null) headers['retry-after'] = String(fault.retryAfter);
      if (fault.resetSeconds !== null) Object.assign(headers, rateHeaders, { 'x-ratelimit-remaining': '0.0', 'x-ratelimit-reset': String(fault.resetSeconds) });
      return this.sendText(res, record, 429, TOO_MANY_REQUESTS_PAGE(fault.retryAfter ?? 4), headers);
    }
    if (rate.exhausted) return this.send(res, record, { status: 429, body: { message: 'Too Many Requests', error: 429 }, headers: rateHeaders });
    if (fault?.fault === '429-json') {
      // As prawcore recorded it: no header names a wait, unless the test adds the window's.
      const headers = fault.resetSeconds === null ? {} : { ...rateHeaders, 'x-ratelimit-remaining': '0.0', 'x-ratelimit-reset': String(fault.resetSeconds) };
      return this.send(res, record, { status: 429, body: { message: 'Too Many Requests', error: 429 }, headers });
    }
    if (fault?.fault === '500') return this.send(res, record, { status: 500, body: { message: 'Internal Server Error', error: 500 }, headers: rateHeaders });
    if (fault?.fault === '403') return this.send(res, record, { status: 403, body: { error: 403 }, headers: rateHeaders });

    const token = /^bearer (.+)$/i.exec(req.headers.authorization ?? '')?.[1];
    const expiresAt = token ? this.tokens.get(token) : undefined;
    if (fault?.fault === '401' || expiresAt === undefined || expiresAt <= Date.now()) {
      return this.send(res, record, { status: 401, body: { error: 401 }, headers: { 'www-authenticate': 'Bearer realm="reddit", error="invalid_token"' } });
    }
    const answer = fault?.fault === 'comment-ratelimit' && path === '/api/comment' ? commentRateLimit() : this.route(method, path, url.searchParams, record);
    answer.headers = { ...rateHeaders, ...answer.headers };
    if (fault?.fault === 'drop-response') {
      record.status = 0;
      res.destroy();
      return;
    }
    if (fault?.fault === 'malformed') {
      const json = JSON.stringify(answer.body);
      return this.sendText(res, record, 200, json.slice(0, Math.max(1, Math.floor(json.length / 2))), { 'content-type': 'application/json; charset=UTF-8', ...answer.headers });
    }
    this.send(res, record, answer);
  }

  private send(res: ServerResponse, record: RecordedRequest, answer: Answer): void {
    this.sendText(res, record, answer.status, JSON.stringify(answer.body), { 'content-type': 'application/json; charset=UTF-8', ...answer.headers });
  }

  private sendText(res: ServerResponse, record: RecordedRequest, status: number, text: string, headers: Record<string, string>): void {
    record.status = status;
    res.writeHead(status, { 'cache-control': 'private, s-maxage=0, max-age=0, must-revalidate, no-store', server: 'snooserv', ...headers });
    res.end(text);
  }

  // The password grant of a "script" app: HTTP Basic with the app's id and secret, the account's
  // name and password in the form. A wrong password is a 200 naming the error, as Reddit does.
  private grant(authorization: string | undefined, body: RecordedRequest['body']): Answer {
    const basic = /^Basic (.+)$/i.exec(authorization ?? '')?.[1];
    const [id, secret] = basic ? Buffer.from(basic, 'base64').toString('utf8').split(':') : [];
    if (id !== this.clientId || secret !== this.clientSecret) return { status: 401, body: { message: 'Unauthorized', error: 401 } };
    const form = typeof body === 'object' ? body : {};
    if (form.grant_type !== 'password') return { status: 200, body: { error: 'unsupported_grant_type' } };
    if (form.username?.toLowerCase() !== this.brand.name.toLowerCase() || form.password !== this.password) return { status: 200, body: { error: 'invalid_grant' } };
    const token = `${this.issuedTokens.length + 1}-${Math.random().toString(36).slice(2, 14)}`;
    const seconds = this.options.tokenSeconds ?? 3600;
    this.tokens.set(token, Date.now() + seconds * 1000);
    this.issuedTokens.push(token);
    return { status: 200, body: { access_token: token, token_type: 'bearer', expires_in: seconds, scope: '*' } };
  }

  private route(method: string, path: string, query: URLSearchParams, record: RecordedRequest): Answer {
    if (method === 'POST' && path === '/api/comment') return this.postComment(record.body);
    if (method !== 'GET') return notFound();
    if (path === '/api/v1/me') return { status: 200, body: this.meJson() };
    if (path === '/api/info') {
      const wanted = (query.get('id') ?? '').split(',');
      const found = wanted.map((f) => this.find(f)).filter((t): t is ThingRecord => !!t);
      return this.listing(found.map((t) => this.thingJson(t)), query, 'plain');
    }
    if (path === '/message/inbox') {
      const items = [...this.inbox].sort((a, b) => b.seq - a.seq).filter((i) => !i.comment?.deleted);
      return this.listing(items.map((i) => this.inboxJson(i)), query, 'inbox');
    }
    const listing = /^\/r\/([^/]+)\/(new|comments|search)$/.exec(path);
    if (listing) {
      const subs = new Set(listing[1].toLowerCase().split('+'));
      const inSubs = (t: ThingRecord) => subs.has('all') || subs.has(t.subreddit.toLowerCase());
      if (listing[2] === 'search') return this.search(query, (t) => inSubs(t) || query.get('restrict_sr') !== 'true');
      const kind = listing[2] === 'new' ? 't3' : 't1';
      return this.listing(this.live(kind).filter(inSubs).map((t) => this.thingJson(t)), query, 'plain');
    }
    if (path === '/search') return this.search(query, () => true);
    const user = /^\/user\/([^/]+)\/comments$/.exec(path);
    if (user) {
      const name = decodeURIComponent(user[1]).toLowerCase();
      return this.listing(this.live('t1').filter((t) => t.author.name.toLowerCase() === name).map((t) => this.commentJson(t)), query, 'plain');
    }
    const article = /^\/comments\/([a-z0-9]+)(?:\/[^/]*)?$/.exec(path);
    if (article) return this.thread(article[1], query);
    return notFound();
  }

  // Newest first by creation; deleted things are gone from listings.
  private live(kind: 't1' | 't3'): ThingRecord[] {
    return this.things.filter((t) => t.kind === kind && !t.deleted).sort((a, b) => b.seq - a.seq);
  }

  // Every word (or "quoted phrase") of q in the link's title or text, case aside; links only.
  private search(query: URLSearchParams, where: (t: ThingRecord) => boolean): Answer {
    const terms = [...(query.get('q') ?? '').matchAll(/"([^"]+)"|(\S+)/g)].map((m) => (m[1] ?? m[2]).toLowerCase());
    const type = query.get('type');
    if (!terms.length || (type && !type.split(',').includes('link'))) return this.listing([], query, 'search');
    const hits = this.live('t3').filter((t) => where(t) && terms.every((term) => `${t.title}\n${t.selftext}`.toLowerCase().includes(term)));
    return this.listing(hits.map((t) => this.linkJson(t)), query, 'search');
  }

  // Reddit's paging over a newest-first list: `after` gives the older items below a fullname,
  // `before` the newer ones just above it (still newest first), and an anchor that is not in
  // the listing (deleted) gives an empty page.
  private listing(items: Json[], query: URLSearchParams, envelope: 'plain' | 'search' | 'inbox'): Answer {
    const limit = Math.min(Math.max(Number.parseInt(query.get('limit') ?? '25', 10) || 25, 1), MAX_LIMIT);
    const nameOf = (item: Json) => (item.data as Json).name as string;
    const before = query.get('before');
    const after = query.get('after');
    let page: Json[];
    let next: { after: string | null; before: string | null };
    if (before) {
      const at = items.findIndex((i) => nameOf(i) === before);
      page = at < 0 ? [] : items.slice(Math.max(0, at - limit), at);
      next = { after: null, before: at - limit > 0 ? nameOf(page[0]) : null };
    } else if (after) {
      const at = items.findIndex((i) => nameOf(i) === after);
      const older = at < 0 ? [] : items.slice(at + 1);
      page = older.slice(0, limit);
      next = { after: older.length > limit ? nameOf(page[page.length - 1]) : null, before: page.length ? nameOf(page[0]) : null };
    } else {
      page = items.slice(0, limit);
      next = { after: items.length > limit ? nameOf(page[page.length - 1]) : null, before: null };
    }
    const data: Json =
      envelope === 'search'
        ? { after: next.after, dist: page.length, facets: {}, modhash: null, children: page, before: next.before }
        : envelope === 'inbox'
          ? { after: next.after, dist: null, modhash: null, geo_filter: '', children: page, before: next.before }
          : { modhash: null, dist: page.length, children: page, after: next.after, before: next.before };
    return { status: 200, body: { kind: 'Listing', data } };
  }

  // GET /comments/:article: the link's Listing, then its comment tree. With ?comment=<id> the tree
  // starts `context` levels above that comment and shows only the path down to it, then all its
  // replies.
  private thread(articleId: string, query: URLSearchParams): Answer {
    const link = this.things.find((t) => t.kind === 't3' && t.id === articleId);
    if (!link) return notFound();
    const focus = query.get('comment') ? this.things.find((t) => t.kind === 't1' && t.id === query.get('comment') && t.link === link) : undefined;
    if (query.get('comment') && !focus) return notFound();
    const replies = (parent: ThingRecord) => this.things.filter((t) => t.kind === 't1' && t.parent === parent);
    // Above the focus only the path down to it; from the focus on, every reply.
    const tree = (comment: ThingRecord, path?: ThingRecord[]): Json => {
      const narrowed = path && comment !== focus ? path : undefined;
      const below = narrowed ? replies(comment).filter((r) => narrowed.includes(r)) : replies(comment);
      return this.commentJson(comment, below.length ? this.plainListing(below.map((r) => tree(r, narrowed))) : '');
    };
    let top: Json[];
    if (focus) {
      const path: ThingRecord[] = [focus];
      const context = Math.min(Number.parseInt(query.get('context') ?? '0', 10) || 0, 8);
      for (let up = focus.parent; up && up.kind === 't1' && path.length <= context; up = up.parent) path.unshift(up);
      top = [tree(path[0], path)];
    } else {
      top = replies(link).map((c) => tree(c));
    }
    return { status: 200, body: [this.plainListing([this.linkJson(link)]), this.plainListing(top)] };
  }

  private plainListing(children: Json[]): Json {
    return { kind: 'Listing', data: { modhash: null, dist: children.length, children, after: null, before: null } };
  }

  private postComment(body: RecordedRequest['body']): Answer {
    const form = typeof body === 'object' ? body : {};
    const refuse = (code: string, message: string, field: string): Answer => ({ status: 200, body: { json: { errors: [[code, message, field]] } } });
    const parent = this.find(form.thing_id ?? '');
    if (!parent || parent.deleted) return refuse(parent?.kind === 't3' ? 'DELETED_LINK' : 'DELETED_COMMENT', 'that comment has been deleted', 'parent');
    const text = form.text ?? '';
    if (!text.trim()) return refuse('NO_TEXT', 'we need something here', 'text');
    if (text.length > MAX_COMMENT) return refuse('TOO_LONG', `this is too long (max: ${MAX_COMMENT})`, 'text');
    const comment = this.createComment(this.brand, parent, text);
    // api_type=json wraps the answer; without it Reddit answers jQuery instructions.
    return { status: 200, body: { json: { errors: [], data: { things: [this.commentJson(comment)] } } } };
  }

  private createComment(author: RedditUser, parent: ThingRecord, body: string, createdAt?: Date): ThingRecord {
    const comment = this.record({ kind: 't1', author, subreddit: parent.subreddit, title: '', selftext: '', body, parent, link: parent.link, createdAt });
    // A reply to the brand's link or comment waits in its inbox.
    if (parent.author.id === this.brand.id && author.id !== this.brand.id) {
      this.inbox.push({ seq: comment.seq, kind: 't1', comment, message: null, type: parent.kind === 't3' ? 'post_reply' : 'comment_reply' });
    } else {
      this.notifyMentions(comment, body);
    }
    return comment;
  }

  // Naming u/<brand> in a comment puts a username mention in the brand's inbox.
  private notifyMentions(thing: ThingRecord, text: string): void {
    if (thing.kind !== 't1' || thing.author.id === this.brand.id) return;
    if (new RegExp(`(^|[^\\w/])/?u/${this.brand.name}\\b`, 'i').test(text)) this.inbox.push({ seq: thing.seq, kind: 't1', comment: thing, message: null, type: 'username_mention' });
  }

  private record(fields: Omit<ThingRecord, 'seq' | 'id' | 'createdUtc' | 'deleted'> & { createdAt?: Date }): ThingRecord {
    const { createdAt, ...rest } = fields;
    const thing: ThingRecord = {
      ...rest,
      seq: ++this.seq,
      id: this.nextId(fields.kind),
      createdUtc: createdAt ? Math.floor(createdAt.getTime() / 1000) : this.nowSeconds(),
      deleted: false,
    };
    this.things.push(thing);
    return thing;
  }

  private countRequest(): { remaining: number; reset: number; used: number; exhausted: boolean } {
    const now = Date.now() / 1000;
    const start = Math.floor(now / WINDOW_SECONDS) * WINDOW_SECONDS;
    if (start !== this.window.start) this.window = { start, used: 0 };
    const limit = this.options.rateLimit ?? 1000;
    const reset = Math.max(1, Math.ceil(start + WINDOW_SECONDS - now));
    if (this.window.used >= limit) return { remaining: 0, reset, used: this.window.used, exhausted: true };
    this.window.used += 1;
    return { remaining: limit - this.window.used, reset, used: this.window.used, exhausted: false };
  }

  private takeFault(path: string): PendingFault | undefined {
    const fault = this.faults.find((f) => path.startsWith(f.pathPrefix));
    if (!fault) return undefined;
    if (fault.skip > 0) {
      fault.skip -= 1;
      return undefined;
    }
    fault.remaining -= 1;
    if (fault.remaining <= 0) this.faults = this.faults.filter((f) => f !== fault);
    return fault;
  }

  private nextId(kind: keyof RedditImitation['ids']): string {
    this.ids[kind] += 1 + (kind === 't2' ? 0 : Math.floor(Math.random() * 3));
    return this.ids[kind].toString(36);
  }

  private nowSeconds(): number {
    return Math.floor((this.options.now?.() ?? new Date()).getTime() / 1000);
  }

  private find(fullname: string): ThingRecord | undefined {
    const [, kind, id] = /^(t[13])_([a-z0-9]+)$/.exec(fullname) ?? [];
    return kind ? this.things.find((t) => t.kind === kind && t.id === id) : undefined;
  }

  private fullname(thing: ThingRecord): string {
    return `${thing.kind}_${thing.id}`;
  }

  private thingJson(thing: ThingRecord): Json {
    return thing.kind === 't3' ? this.linkJson(thing) : this.commentJson(thing);
  }

  private permalink(thing: ThingRecord): string {
    const link = thing.link ?? thing;
    const slug = link.title.toLowerCase().replace(/[^a-z0-9]+/g, '_').replace(/^_+|_+$/g, '').slice(0, 50) || 'post';
    return `/r/${thing.subreddit}/comments/${link.id}/${slug}/${thing.kind === 't1' ? `${thing.id}/` : ''}`;
  }

  // Only the recorded keys, with the recorded types (see the contract test).
  private linkJson(t: ThingRecord): Json {
    const gone = t.deleted;
    const selftext = gone ? '[deleted]' : t.selftext;
    return {
      kind: 't3',
      data: {
        approved_at_utc: null,
        subreddit: t.subreddit,
        selftext,
        ...(gone ? {} : { author_fullname: t.author.fullname }),
        saved: false,
        mod_reason_title: null,
        gilded: 0,
        clicked: false,
        title: t.title,
        link_flair_richtext: [],
        subreddit_name_prefixed: `r/${t.subreddit}`,
        hidden: false,
        pwls: 6,
        link_flair_css_class: null,
        downs: 0,
        top_awarded_type: null,
        hide_score: true,
        name: this.fullname(t),
        quarantine: false,
        link_flair_text_color: 'dark',
        upvote_ratio: 1,
        author_flair_background_color: null,
        subreddit_type: 'public',
        ups: 1,
        total_awards_received: 0,
        media_embed: {},
        author_flair_template_id: null,
        is_original_content: false,
        user_reports: [],
        secure_media: null,
        is_reddit_media_domain: false,
        is_meta: false,
        category: null,
        secure_media_embed: {},
        link_flair_text: null,
        can_mod_post: false,
        score: 1,
        approved_by: null,
        author_premium: false,
        thumbnail: 'self',
        edited: false,
        author_flair_css_class: null,
        author_flair_richtext: [],
        gildings: {},
        content_categories: null,
        is_self: true,
        mod_note: null,
        created: t.createdUtc,
        link_flair_type: 'text',
        wls: 6,
        removed_by_category: gone ? 'deleted' : null,
        banned_by: null,
        author_flair_type: 'text',
        domain: `self.${t.subreddit}`,
        allow_live_comments: false,
        selftext_html: selftext ? markdownHtml(selftext, true) : null,
        likes: null,
        suggested_sort: null,
        banned_at_utc: null,
        view_count: null,
        archived: false,
        no_follow: true,
        is_crosspostable: true,
        pinned: false,
        over_18: false,
        all_awardings: [],
        awarders: [],
        media_only: false,
        can_gild: false,
        spoiler: false,
        locked: false,
        author_flair_text: null,
        treatment_tags: [],
        visited: false,
        removed_by: null,
        num_reports: null,
        distinguished: null,
        subreddit_id: `t5_${subredditId(t.subreddit)}`,
        mod_reason_by: null,
        removal_reason: null,
        link_flair_background_color: '',
        id: t.id,
        is_robot_indexable: true,
        report_reasons: null,
        author: gone ? '[deleted]' : t.author.name,
        discussion_type: null,
        num_comments: this.things.filter((c) => c.kind === 't1' && c.link === t && !c.deleted).length,
        send_replies: true,
        whitelist_status: 'all_ads',
        contest_mode: false,
        mod_reports: [],
        author_patreon_flair: false,
        author_flair_text_color: null,
        permalink: this.permalink(t),
        parent_whitelist_status: 'all_ads',
        stickied: false,
        url: `https://www.reddit.com${this.permalink(t)}`,
        subreddit_subscribers: 1204,
        created_utc: t.createdUtc,
        num_crossposts: 0,
        media: null,
        is_video: false,
      },
    };
  }

  private commentJson(t: ThingRecord, replies: Json | '' = ''): Json {
    const gone = t.deleted;
    const body = gone ? '[deleted]' : t.body;
    return {
      kind: 't1',
      data: {
        author_flair_background_color: null,
        total_awards_received: 0,
        approved_at_utc: null,
        edited: false,
        mod_reason_by: null,
        banned_by: null,
        author_flair_type: 'text',
        removal_reason: null,
        link_id: this.fullname(t.link!),
        author_flair_template_id: null,
        likes: null,
        replies,
        user_reports: [],
        saved: false,
        id: t.id,
        banned_at_utc: null,
        mod_reason_title: null,
        gilded: 0,
        archived: false,
        top_awarded_type: null,
        no_follow: true,
        author: gone ? '[deleted]' : t.author.name,
        can_mod_post: false,
        send_replies: true,
        parent_id: this.fullname(t.parent!),
        score: 1,
        ...(gone ? {} : { author_fullname: t.author.fullname }),
        approved_by: null,
        mod_note: null,
        all_awardings: [],
        subreddit_id: `t5_${subredditId(t.subreddit)}`,
        body,
        awarders: [],
        downs: 0,
        author_flair_css_class: null,
        name: this.fullname(t),
        author_patreon_flair: false,
        collapsed: false,
        author_flair_richtext: [],
        is_submitter: t.link?.author.id === t.author.id,
        body_html: markdownHtml(body, false),
        gildings: {},
        collapsed_reason: null,
        distinguished: null,
        associated_award: null,
        stickied: false,
        author_premium: false,
        can_gild: false,
        author_flair_text_color: null,
        score_hidden: false,
        permalink: this.permalink(t),
        locked: false,
        created: t.createdUtc,
        subreddit: t.subreddit,
        author_flair_text: null,
        treatment_tags: [],
        created_utc: t.createdUtc,
        subreddit_name_prefixed: `r/${t.subreddit}`,
        controversiality: 0,
        collapsed_because_crowd_control: null,
        mod_reports: [],
        subreddit_type: 'public',
        ups: 1,
      },
    };
  }

  // An inbox item: the message envelope prawcore recorded for /message/messages, with the fields
  // a comment reply or username mention fills in (was_comment, context, parent_id, subreddit).
  private inboxJson(item: InboxItem): Json {
    if (item.kind === 't4') {
      const m = item.message!;
      return {
        kind: 't4',
        data: {
          first_message: null,
          first_message_name: null,
          subreddit: null,
          likes: null,
          replies: '',
          author_fullname: m.author.fullname,
          id: m.id,
          subject: m.subject,
          associated_awarding_id: null,
          score: 0,
          author: m.author.name,
          num_comments: null,
          parent_id: null,
          subreddit_name_prefixed: null,
          new: true,
          type: 'unknown',
          body: m.body,
          dest: this.brand.name,
          was_comment: false,
          body_html: markdownHtml(m.body, true),
          name: `t4_${m.id}`,
          created: m.createdUtc,
          created_utc: m.createdUtc,
          context: '',
          distinguished: null,
        },
      };
    }
    const c = item.comment!;
    const subject = { comment_reply: 'comment reply', post_reply: 'post reply', username_mention: 'username mention', unknown: '' }[item.type];
    return {
      kind: 't1',
      data: {
        first_message: null,
        first_message_name: null,
        subreddit: c.subreddit,
        likes: null,
        replies: '',
        author_fullname: c.author.fullname,
        id: c.id,
        subject,
        associated_awarding_id: null,
        score: 1,
        author: c.author.name,
        num_comments: null,
        parent_id: this.fullname(c.parent!),
        subreddit_name_prefixed: `r/${c.subreddit}`,
        new: true,
        type: item.type,
        body: c.body,
        dest: this.brand.name,
        was_comment: true,
        body_html: markdownHtml(c.body, true),
        name: this.fullname(c),
        created: c.createdUtc,
        created_utc: c.createdUtc,
        context: `${this.permalink(c)}?context=3`,
        distinguished: null,
      },
    };
  }

  private meJson(): Json {
    const b = this.brand;
    return {
      is_employee: false,
      has_visited_new_profile: false,
      pref_no_profanity: true,
      has_external_account: false,
      is_sponsor: false,
      num_friends: 0,
      can_edit_name: false,
      verified: true,
      coins: 0,
      id: b.id,
      oauth_client_id: this.clientId,
      can_create_subreddit: true,
      over_18: false,
      is_gold: false,
      is_mod: false,
      suspension_expiration_utc: null,
      has_verified_email: true,
      is_suspended: false,
      icon_img: 'https://www.redditstatic.com/avatars/defaults/v2/avatar_default_1.png',
      hide_from_robots: false,
      password_set: true,
      link_karma: 1,
      force_password_reset: false,
      total_karma: 1,
      inbox_count: this.inbox.length,
      has_mail: this.inbox.length > 0,
      name: b.name,
      created: 1_600_000_000,
      created_utc: 1_600_000_000,
      in_beta: false,
      comment_karma: this.commentsBy(b).length,
      accept_followers: true,
      linked_identities: [],
    };
  }
}

function commentRateLimit(): Answer {
  return { status: 200, body: { json: { ratelimit: 540, errors: [['RATELIMIT', 'you are doing that too much. try again in 9 minutes.', 'ratelimit']] } } };
}

function notFound(): Answer {
  return { status: 404, body: { message: 'Not Found', error: 404 } };
}

// What Reddit renders from Markdown, reduced to paragraphs: every character of the text escaped.
function markdownHtml(text: string, selfPost: boolean): string {
  const paragraphs = text.split(/\n{2,}/).map((p) => `<p>${escapeHtml(p)}</p>`).join('\n\n');
  const html = `<div class="md">${paragraphs}\n</div>`;
  return selfPost ? `<!-- SC_OFF -->${html}<!-- SC_ON -->` : html;
}

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] as string);
}

function subredditId(name: string): string {
  let hash = 7;
  for (const c of name.toLowerCase()) hash = (hash * 31 + c.charCodeAt(0)) % 0x7fffffff;
  return hash.toString(36);
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

export const REDDIT_SOURCE = 'acme-reddit';

// The app's config for a Reddit source on the imitation: the brand's account, one watched
// subreddit and one keyword unless the test says otherwise.
export function redditSource(reddit: RedditImitation, settings: Record<string, unknown> = {}, source: Record<string, unknown> = {}) {
  return {
    brands: [{ id: 'acme', name: 'Acme', defaultLanguage: 'en', sla: { ackMinutes: 60 }, followUp: { delayMinutes: 4320 } }],
    sources: [
      {
        id: REDDIT_SOURCE,
        brand: 'acme',
        type: 'reddit',
        pollSeconds: 1,
        reddit: {
          apiUrl: reddit.url,
          authUrl: reddit.url,
          clientIdEnv: 'T_REDDIT_CLIENT_ID',
          clientSecretEnv: 'T_REDDIT_CLIENT_SECRET',
          username: reddit.brand.name,
          passwordEnv: 'T_REDDIT_PASSWORD',
          userAgent: `test:paradox:0.1.0 (by /u/${reddit.brand.name})`,
          subreddits: ['AcmeSupport'],
          keywords: ['AcmePhone'],
          timeoutMs: 500,
          ...settings,
        },
        ...source,
      },
    ],
    worker: { schedule: false, publishEveryMs: 200 },
  };
}

// The secrets the config above names, as the environment holds them.
export function redditEnv(reddit: RedditImitation, overrides: { password?: string; clientSecret?: string } = {}): Record<string, string> {
  return {
    T_REDDIT_CLIENT_ID: reddit.clientId,
    T_REDDIT_CLIENT_SECRET: overrides.clientSecret ?? reddit.clientSecret,
    T_REDDIT_PASSWORD: overrides.password ?? reddit.password,
  };
}
