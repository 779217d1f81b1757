import http, { type IncomingHttpHeaders, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

// Bodies follow the recordings in ../shared/contracts/mastodon/cassettes-decoded (Mastodon 4.x).

export interface ImitationAccount {
  id: string;
  username: string;
  acct: string;
  displayName: string;
  followers: number;
}

export type Fault = '429' | '500' | 'timeout' | 'malformed';
export type Visibility = 'public' | 'unlisted' | 'private' | 'direct';

export interface RecordedRequest {
  method: string;
  path: string;
  query: Record<string, string | string[]>;
  headers: IncomingHttpHeaders;
  body: unknown;
  // null while unanswered (a 'timeout' fault never answers)
  status: number | null;
}

export interface MastodonAccount {
  id: string;
  username: string;
  acct: string;
  display_name: string;
  locked: boolean;
  bot: boolean;
  discoverable: boolean | null;
  indexable: boolean;
  group: boolean;
  created_at: string;
  note: string;
  url: string;
  uri: string;
  avatar: string;
  avatar_static: string;
  avatar_description: string;
  header: string;
  header_static: string;
  header_description: string;
  followers_count: number;
  following_count: number;
  statuses_count: number;
  last_status_at: string | null;
  hide_collections: boolean | null;
  show_media: boolean;
  show_media_replies: boolean;
  show_featured: boolean;
  noindex: boolean;
  feature_approval: Approval;
  emojis: unknown[];
  roles: { id: string; name: string; color: string }[];
  fields: { name: string; value: string; verified_at: string | null }[];
}

export interface MastodonMention {
  id: string;
  username: string;
  url: string;
  acct: string;
}

export interface MastodonStatus {
  id: string;
  created_at: string;
  in_reply_to_id: string | null;
  in_reply_to_account_id: string | null;
  sensitive: boolean;
  spoiler_text: string;
  visibility: Visibility;
  language: string | null;
  uri: string;
  url: string;
  replies_count: number;
  reblogs_count: number;
  favourites_count: number;
  quotes_count: number;
  edited_at: string | null;
  favourited: boolean;
  reblogged: boolean;
  muted: boolean;
  bookmarked: boolean;
  // only on the viewer's own statuses
  pinned?: boolean;
  content: string;
  filtered: unknown[];
  reblog: null;
  application: { name: string; website: string | null };
  account: MastodonAccount;
  media_attachments: unknown[];
  mentions: MastodonMention[];
  tags: { name: string; url: string }[];
  emojis: unknown[];
  tagged_collections: unknown[];
  quote: null;
  card: null;
  poll: null;
  quote_approval: Approval;
}

export interface MastodonNotification {
  id: string;
  type: 'mention';
  created_at: string;
  group_key: string;
  account: MastodonAccount;
  status: MastodonStatus;
}

interface Approval {
  automatic: string[];
  manual: string[];
  current_user: string;
}

interface AccountRecord extends ImitationAccount {
  createdAt: Date;
}

interface StatusRecord {
  id: bigint;
  author: AccountRecord;
  content: string;
  mentions: AccountRecord[];
  tags: string[];
  inReplyTo: StatusRecord | null;
  visibility: Visibility;
  language: string | null;
  spoilerText: string;
  sensitive: boolean;
  application: string;
  createdAt: Date;
}

interface NotificationRecord {
  id: bigint;
  recipient: AccountRecord;
  from: AccountRecord;
  status: StatusRecord;
  createdAt: Date;
}

interface PendingFault {
  fault: Fault;
  remaining: number;
  pathPrefix: string;
  resetInMs: number;
}

interface Reply {
  status: number;
  body: unknown;
  link?: string;
}

const RATE_WINDOW_MS = 5 * 60_000;
const IDEMPOTENCY_MS = 60 * 60_000;
const VISIBILITIES: Visibility[] = ['public', 'unlisted', 'private', 'direct'];
const NOT_FOUND: Reply = { status: 404, body: { error: 'Record not found' } };

// URLs, local @mentions and #hashtags, with the boundaries Mastodon's own regexes use.
const TOKEN =
  /(?<url>https?:\/\/[^\s<>"]+)|(?<![\w/])@(?<user>\w+)(?:@(?<domain>[\w.-]*\w))?|(?<![\w/)])#(?<tag>[\p{L}\p{N}_]*[\p{L}_][\p{L}\p{N}_]*)/gu;

export class MastodonImitation {
  readonly requests: RecordedRequest[] = [];
  readonly brand: ImitationAccount;
  readonly accessToken: string;

  private readonly rateLimit: number;
  private readonly accounts: AccountRecord[] = [];
  private readonly statuses: StatusRecord[] = [];
  private readonly notifications: NotificationRecord[] = [];
  private readonly idempotency = new Map<string, { status: StatusRecord; at: number }>();
  private faults: PendingFault[] = [];
  private lastId = 0n;
  private notificationSeq = 0n;
  // Open notification streams (server-sent events) of the brand account.
  private readonly streams = new Set<ServerResponse>();
  private window = { start: 0, used: 0 };

  private constructor(
    private readonly server: http.Server,
    readonly url: string,
    opts: { brandUsername?: string; accessToken?: string; rateLimit?: number },
  ) {
    this.accessToken = opts.accessToken ?? 'test-token';
    this.rateLimit = opts.rateLimit ?? 300;
    this.brand = this.addAccount(opts.brandUsername ?? 'acme');
  }

  static async start(opts: { brandUsername?: string; accessToken?: string; rateLimit?: number } = {}): Promise<MastodonImitation> {
    const server = http.createServer();
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(0, '127.0.0.1', resolve);
    });
    const { port } = server.address() as AddressInfo;
    const imitation = new MastodonImitation(server, `http://127.0.0.1:${port}`, opts);
    // A bug in the imitation should fail the test loudly, not leave the client waiting.
    server.on('request', (req, res) => imitation.handle(req, res).catch((err) => res.writeHead(500).end(String(err?.stack ?? err))));
    return imitation;
  }

  // Cuts every open notification stream, as a restart of Mastodon's streaming server does.
  dropStreams(): void {
    for (const res of this.streams) res.destroy();
    this.streams.clear();
  }

  get openStreams(): number {
    return this.streams.size;
  }

  async stop(): Promise<void> {
    this.dropStreams();
    // Drops the requests a 'timeout' fault is holding open as well.
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  addAccount(username: string, opts: { displayName?: string; followers?: number } = {}): ImitationAccount {
    if (this.findAccount(username)) throw new Error(`account @${username} already exists`);
    const now = new Date();
    const account: AccountRecord = {
      id: this.nextId(now).toString(),
      username,
      acct: username,
      displayName: opts.displayName ?? '',
      followers: opts.followers ?? 0,
      // Mastodon reports account creation to the day.
      createdAt: new Date(now.toISOString().slice(0, 10)),
    };
    this.accounts.push(account);
    return publicAccount(account);
  }

  post(
    account: ImitationAccount,
    text: string,
    opts: { inReplyToId?: string; visibility?: Visibility; language?: string | null; createdAt?: Date } = {},
  ): MastodonStatus {
    const author = this.accountRecord(account);
    const inReplyTo = opts.inReplyToId === undefined ? null : this.findStatus(opts.inReplyToId);
    if (inReplyTo === undefined) throw new Error(`no status ${opts.inReplyToId} to reply to`);
    const status = this.createStatus(author, text, {
      inReplyTo,
      visibility: opts.visibility ?? 'public',
      language: opts.language === undefined ? 'en' : opts.language,
      createdAt: opts.createdAt ?? new Date(),
      application: 'Web',
    });
    return this.statusJson(status);
  }

  failNext(fault: Fault, opts: { count?: number; pathPrefix?: string; resetInMs?: number } = {}): void {
    this.faults.push({ fault, remaining: opts.count ?? 1, pathPrefix: opts.pathPrefix ?? '', resetInMs: opts.resetInMs ?? 1000 });
  }

  statusesBy(account: ImitationAccount): MastodonStatus[] {
    return this.statuses.filter((s) => s.author.id === account.id).map((s) => this.statusJson(s));
  }

  repliesTo(statusId: string): MastodonStatus[] {
    return this.statuses.filter((s) => s.inReplyTo?.id.toString() === statusId).map((s) => this.statusJson(s));
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', this.url);
    const method = req.method ?? 'GET';
    const raw = await readBody(req);
    const record: RecordedRequest = {
      method,
      path: url.pathname,
      query: parseQuery(url.searchParams),
      headers: req.headers,
      body: parseBody(raw, req.headers['content-type']),
      status: null,
    };
    this.requests.push(record);

    const limit = this.consumeRateLimit(Date.now());
    const headers: Record<string, string> = {
      'Cache-Control': 'private, no-store',
      'X-RateLimit-Limit': String(this.rateLimit),
      'X-RateLimit-Remaining': String(limit.remaining),
      'X-RateLimit-Reset': isoMicros(limit.reset),
    };
    const fault = this.takeFault(url.pathname);
    if (fault?.fault === 'timeout') return;
    if (fault?.fault === '429' || limit.exhausted) {
      headers['X-RateLimit-Remaining'] = '0';
      if (fault) headers['X-RateLimit-Reset'] = isoMicros(Date.now() + fault.resetInMs);
      return this.send(res, record, 429, JSON.stringify({ error: 'Too many requests' }), headers);
    }
    if (fault?.fault === '500') {
      // Rails answers unhandled errors with its static HTML page, not JSON.
      const page = "<!DOCTYPE html><html><head><title>We're sorry, but something went wrong (500)</title></head><body></body></html>";
      return this.send(res, record, 500, page, { ...headers, 'Content-Type': 'text/html; charset=utf-8' });
    }

    const authorised = req.headers.authorization === `Bearer ${this.accessToken}`;
    if (authorised && method === 'GET' && url.pathname === '/api/v1/streaming/user/notification') return this.openStream(res, record);
    const reply =
      authorised
        ? this.route(method, url, record)
        : { status: 401, body: { error: 'The access token is invalid' } };
    if (reply.link) headers.Link = reply.link;
    const json = JSON.stringify(reply.body);
    // The request was processed; only the answer is cut short, as when a proxy drops the connection mid-body.
    if (fault?.fault === 'malformed') return this.send(res, record, 200, json.slice(0, Math.max(1, Math.floor(json.length / 2))), headers);
    this.send(res, record, reply.status, json, headers);
  }

  // As Mastodon's streaming server answers: an event-stream that opens with a comment, then one
  // `notification` event per notification of the account.
  private openStream(res: ServerResponse, record: RecordedRequest): void {
    record.status = 200;
    res.writeHead(200, { 'Content-Type': 'text/event-stream', 'Cache-Control': 'private, no-store', Connection: 'keep-alive' });
    res.write(':)\n');
    this.streams.add(res);
    res.on('close', () => this.streams.delete(res));
  }

  private send(res: ServerResponse, record: RecordedRequest, status: number, text: string, headers: Record<string, string>): void {
    record.status = status;
    res.writeHead(status, { 'Content-Type': 'application/json; charset=utf-8', ...headers });
    res.end(text);
  }

  private route(method: string, url: URL, request: RecordedRequest): Reply {
    const path = url.pathname.replace(/(.)\/$/, '$1');
    const { query } = request;
    if (method === 'GET' && path === '/api/v1/accounts/verify_credentials') return { status: 200, body: this.credentialAccountJson() };
    if (method === 'GET' && path === '/api/v1/notifications') return this.notificationsPage(url.pathname, query);
    if (method === 'POST' && path === '/api/v1/statuses') return this.createFromApi(request);
    const tag = /^\/api\/v1\/timelines\/tag\/([^/]+)$/.exec(path);
    if (method === 'GET' && tag) return this.tagPage(url.pathname, decodeURIComponent(tag[1]), query);
    const status = /^\/api\/v1\/statuses\/([^/]+)(\/context)?$/.exec(path);
    if (method === 'GET' && status) {
      const found = this.findStatus(status[1]);
      if (!found || !this.visibleToBrand(found)) return NOT_FOUND;
      return { status: 200, body: status[2] ? this.contextJson(found) : this.statusJson(found) };
    }
    return NOT_FOUND;
  }

  private notificationsPage(path: string, query: Record<string, string | string[]>): Reply {
    const types = list(query['types[]'] ?? query.types);
    const excluded = list(query['exclude_types[]'] ?? query.exclude_types);
    const from = first(query.account_id);
    const items = this.notifications.filter(
      (n) =>
        n.recipient.id === this.brand.id &&
        (!types.length || types.includes('mention')) &&
        !excluded.includes('mention') &&
        (!from || n.from.id === from),
    );
    return this.page(path, query, items, 40, (n) => this.notificationJson(n));
  }

  private tagPage(path: string, hashtag: string, query: Record<string, string | string[]>): Reply {
    const name = hashtag.toLowerCase();
    const items = this.statuses.filter((s) => s.visibility === 'public' && s.tags.includes(name));
    return this.page(path, query, items, 20, (s) => this.statusJson(s));
  }

  // Mastodon's paging: newest first; max_id and since_id bound the newest page, while min_id asks for
  // the page immediately after the cursor (the oldest newer items), still served newest first.
  private page<T extends { id: bigint }>(
    path: string,
    query: Record<string, string | string[]>,
    items: T[],
    defaultLimit: number,
    render: (item: T) => unknown,
  ): Reply {
    const [max, since, min] = ['max_id', 'since_id', 'min_id'].map((k) => cursor(query[k]));
    const limitParam = first(query.limit);
    const limit = limitParam === undefined ? defaultLimit : Math.min(Math.abs(parseInt(limitParam, 10) || 0), defaultLimit * 2);
    const candidates = items
      .filter((i) => (max === undefined || i.id < max) && (since === undefined || i.id > since) && (min === undefined || i.id > min))
      .sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
    const page = (min !== undefined ? candidates.slice(0, limit) : candidates.slice(Math.max(0, candidates.length - limit))).reverse();
    if (!page.length) return { status: 200, body: [] };
    const base = Object.entries(query).filter(([k]) => !['max_id', 'min_id', 'since_id'].includes(k));
    const href = (key: string, id: bigint) => `${this.url}${path}?${toQuery([...base, [key, id.toString()]])}`;
    const link = `<${href('max_id', page[page.length - 1].id)}>; rel="next", <${href('min_id', page[0].id)}>; rel="prev"`;
    return { status: 200, body: page.map(render), link };
  }

  private createFromApi(request: RecordedRequest): Reply {
    const body = (isObject(request.body) ? request.body : {}) as Record<string, unknown>;
    const replyTo = typeof body.in_reply_to_id === 'string' && body.in_reply_to_id ? this.findStatus(body.in_reply_to_id) : null;
    if (replyTo === undefined || (replyTo && !this.visibleToBrand(replyTo))) return NOT_FOUND;

    // Mastodon keeps an Idempotency-Key for an hour and answers a repeat with the status it already made.
    const key = first(request.headers['idempotency-key']);
    const now = Date.now();
    const earlier = key ? this.idempotency.get(key) : undefined;
    if (earlier && now - earlier.at < IDEMPOTENCY_MS) return { status: 200, body: this.statusJson(earlier.status) };

    const text = typeof body.status === 'string' ? body.status : '';
    if (!text.trim()) return { status: 422, body: { error: "Validation failed: Text can't be blank" } };
    const visibility = body.visibility || 'public';
    if (!VISIBILITIES.includes(visibility as Visibility)) {
      return { status: 422, body: { error: 'Validation failed: Visibility is not included in the list' } };
    }
    const spoilerText = typeof body.spoiler_text === 'string' ? body.spoiler_text : '';
    const status = this.createStatus(this.accountRecord(this.brand), text, {
      inReplyTo: replyTo,
      visibility: visibility as Visibility,
      language: typeof body.language === 'string' && body.language ? body.language : 'en',
      createdAt: new Date(now),
      spoilerText,
      sensitive: body.sensitive === true || body.sensitive === 'true' || spoilerText !== '',
      application: 'Paradox',
    });
    if (key) this.idempotency.set(key, { status, at: now });
    return { status: 200, body: this.statusJson(status) };
  }

  private createStatus(
    author: AccountRecord,
    text: string,
    opts: Pick<StatusRecord, 'inReplyTo' | 'visibility' | 'language' | 'createdAt' | 'application'> &
      Partial<Pick<StatusRecord, 'spoilerText' | 'sensitive'>>,
  ): StatusRecord {
    const { content, mentions, tags } = this.format(text);
    const status: StatusRecord = {
      id: this.nextId(opts.createdAt),
      author,
      content,
      mentions,
      tags,
      spoilerText: '',
      sensitive: false,
      ...opts,
    };
    this.statuses.push(status);
    for (const recipient of mentions) {
      if (recipient.id === author.id) continue;
      this.notificationSeq += 1n;
      const notification = { id: this.notificationSeq, recipient, from: author, status, createdAt: opts.createdAt };
      this.notifications.push(notification);
      if (recipient.id === this.brand?.id) {
        const event = `event: notification\ndata: ${JSON.stringify(this.notificationJson(notification))}\n\n`;
        for (const res of this.streams) res.write(event);
      }
    }
    return status;
  }

  // Snowflake-like: the creation time in the high bits, always increasing in creation order.
  private nextId(at: Date): bigint {
    const candidate = BigInt(at.getTime()) << 16n;
    this.lastId = candidate > this.lastId ? candidate : this.lastId + 1n;
    return this.lastId;
  }

  private consumeRateLimit(now: number): { remaining: number; reset: number; exhausted: boolean } {
    const start = Math.floor(now / RATE_WINDOW_MS) * RATE_WINDOW_MS;
    if (start !== this.window.start) this.window = { start, used: 0 };
    const reset = start + RATE_WINDOW_MS;
    if (this.window.used >= this.rateLimit) return { remaining: 0, reset, exhausted: true };
    this.window.used += 1;
    return { remaining: this.rateLimit - this.window.used, reset, exhausted: false };
  }

  private takeFault(path: string): PendingFault | undefined {
    const fault = this.faults.find((f) => path.startsWith(f.pathPrefix));
    if (!fault) return undefined;
    fault.remaining -= 1;
    if (fault.remaining <= 0) this.faults = this.faults.filter((f) => f !== fault);
    return fault;
  }

  private format(text: string): { content: string; mentions: AccountRecord[]; tags: string[] } {
    const mentions = new Map<string, AccountRecord>();
    const tags = new Set<string>();
    const line = (source: string): string => {
      let html = '';
      let last = 0;
      for (const m of source.matchAll(TOKEN)) {
        html += escapeHtml(source.slice(last, m.index));
        last = m.index + m[0].length;
        const { url, user, domain, tag } = m.groups ?? {};
        const mentioned = user && !domain ? this.findAccount(user) : undefined;
        if (url) {
          const [, href, trailing] = /^(.*?)([.,;:!?'")]*)$/.exec(url) ?? [url, url, ''];
          html += linkHtml(href) + escapeHtml(trailing);
        } else if (mentioned) {
          mentions.set(mentioned.id, mentioned);
          html += `<span class="h-card" translate="no"><a href="${this.profileUrl(mentioned)}" class="u-url mention">@<span>${mentioned.username}</span></a></span>`;
        } else if (tag) {
          tags.add(tag.toLowerCase());
          html += `<a href="${this.url}/tags/${encodeURIComponent(tag.toLowerCase())}" class="mention hashtag" rel="tag">#<span>${escapeHtml(tag)}</span></a>`;
        } else {
          html += escapeHtml(m[0]);
        }
      }
      return html + escapeHtml(source.slice(last));
    };
    const paragraphs = text.replace(/\r\n?/g, '\n').trim().split(/\n{2,}/);
    const content = paragraphs.map((p) => `<p>${p.split('\n').map(line).join('<br />')}</p>`).join('');
    return { content, mentions: [...mentions.values()], tags: [...tags] };
  }

  private visibleToBrand(status: StatusRecord): boolean {
    if (status.visibility === 'public' || status.visibility === 'unlisted') return true;
    return status.author.id === this.brand.id || status.mentions.some((m) => m.id === this.brand.id);
  }

  private contextJson(status: StatusRecord): { ancestors: MastodonStatus[]; descendants: MastodonStatus[] } {
    const ancestors: StatusRecord[] = [];
    for (let up = status.inReplyTo; up; up = up.inReplyTo) ancestors.unshift(up);
    // Descendants come depth-first, each branch in posting order, as Mastodon threads them.
    const descendants: StatusRecord[] = [];
    const walk = (parent: StatusRecord): void => {
      for (const child of this.statuses.filter((s) => s.inReplyTo === parent)) {
        descendants.push(child);
        walk(child);
      }
    };
    walk(status);
    const visible = (list: StatusRecord[]) => list.filter((s) => this.visibleToBrand(s)).map((s) => this.statusJson(s));
    return { ancestors: visible(ancestors), descendants: visible(descendants) };
  }

  private notificationJson(n: NotificationRecord): MastodonNotification {
    return {
      id: n.id.toString(),
      type: 'mention',
      created_at: n.createdAt.toISOString(),
      group_key: `ungrouped-${n.id}`,
      account: this.accountJson(n.from),
      status: this.statusJson(n.status),
    };
  }

  private statusJson(s: StatusRecord): MastodonStatus {
    const id = s.id.toString();
    const quotable = s.visibility === 'public' || s.visibility === 'unlisted';
    return {
      id,
      created_at: s.createdAt.toISOString(),
      in_reply_to_id: s.inReplyTo ? s.inReplyTo.id.toString() : null,
      in_reply_to_account_id: s.inReplyTo ? s.inReplyTo.author.id : null,
      sensitive: s.sensitive,
      spoiler_text: s.spoilerText,
      visibility: s.visibility,
      language: s.language,
      uri: `${this.url}/ap/users/${s.author.id}/statuses/${id}`,
      url: `${this.profileUrl(s.author)}/${id}`,
      replies_count: this.statuses.filter((r) => r.inReplyTo === s).length,
      reblogs_count: 0,
      favourites_count: 0,
      quotes_count: 0,
      edited_at: null,
      favourited: false,
      reblogged: false,
      muted: false,
      bookmarked: false,
      // The viewer is always the brand; Mastodon only says "pinned" about the viewer's own statuses.
      ...(s.author.id === this.brand.id ? { pinned: false } : {}),
      content: s.content,
      filtered: [],
      reblog: null,
      application: { name: s.application, website: null },
      account: this.accountJson(s.author),
      media_attachments: [],
      mentions: s.mentions.map((m) => ({ id: m.id, username: m.username, url: this.profileUrl(m), acct: m.acct })),
      tags: s.tags.map((name) => ({ name, url: `${this.url}/tags/${encodeURIComponent(name)}` })),
      emojis: [],
      tagged_collections: [],
      quote: null,
      card: null,
      poll: null,
      quote_approval: quotable
        ? { automatic: ['public'], manual: [], current_user: 'automatic' }
        : { automatic: [], manual: [], current_user: 'denied' },
    };
  }

  private accountJson(a: AccountRecord): MastodonAccount {
    const own = this.statuses.filter((s) => s.author.id === a.id);
    const avatar = `${this.url}/avatars/original/missing.png`;
    const header = `${this.url}/headers/original/missing.png`;
    return {
      id: a.id,
      username: a.username,
      acct: a.acct,
      display_name: a.displayName,
      locked: false,
      bot: false,
      discoverable: true,
      indexable: true,
      group: false,
      created_at: a.createdAt.toISOString(),
      note: '',
      url: this.profileUrl(a),
      uri: `${this.url}/ap/users/${a.id}`,
      avatar,
      avatar_static: avatar,
      avatar_description: '',
      header,
      header_static: header,
      header_description: '',
      followers_count: a.followers,
      following_count: 0,
      statuses_count: own.length,
      last_status_at: own.length ? own[own.length - 1].createdAt.toISOString().slice(0, 10) : null,
      hide_collections: null,
      show_media: true,
      show_media_replies: true,
      show_featured: true,
      noindex: false,
      feature_approval: { automatic: ['public'], manual: [], current_user: 'automatic' },
      emojis: [],
      roles: [],
      fields: [],
    };
  }

  private credentialAccountJson(): MastodonAccount & { source: unknown; role: unknown } {
    return {
      ...this.accountJson(this.accountRecord(this.brand)),
      source: {
        privacy: 'public',
        sensitive: false,
        language: null,
        note: '',
        fields: [],
        follow_requests_count: 0,
        hide_collections: null,
        discoverable: true,
        indexable: true,
        attribution_domains: [],
        quote_policy: 'public',
      },
      role: { id: '-99', name: '', permissions: '65536', color: '', highlighted: false, collection_limit: 10 },
    };
  }

  private profileUrl(a: AccountRecord): string {
    return `${this.url}/@${a.username}`;
  }

  private findAccount(username: string): AccountRecord | undefined {
    return this.accounts.find((a) => a.username.toLowerCase() === username.toLowerCase());
  }

  private accountRecord(account: ImitationAccount): AccountRecord {
    const found = this.accounts.find((a) => a.id === account.id);
    if (!found) throw new Error(`@${account.username} is not an account of this imitation`);
    return found;
  }

  private findStatus(id: string): StatusRecord | undefined {
    return /^\d+$/.test(id) ? this.statuses.find((s) => s.id === BigInt(id)) : undefined;
  }
}

function publicAccount({ id, username, acct, displayName, followers }: AccountRecord): ImitationAccount {
  return { id, username, acct, displayName, followers };
}

// Mastodon stamps rate-limit resets with microseconds: 2026-08-01T15:00:00.869078Z
function isoMicros(ms: number): string {
  return new Date(ms).toISOString().replace('Z', '000Z');
}

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] as string);
}

// Mastodon hides the scheme and shortens long links to 30 visible characters.
function linkHtml(href: string): string {
  const [, prefix, rest] = /^(https?:\/\/(?:www\.)?)(.*)$/.exec(href) ?? ['', '', href];
  const shown =
    rest.length > 30
      ? `<span class="ellipsis">${escapeHtml(rest.slice(0, 30))}</span><span class="invisible">${escapeHtml(rest.slice(30))}</span>`
      : `<span class="">${escapeHtml(rest)}</span><span class="invisible"></span>`;
  return `<a href="${escapeHtml(href)}" target="_blank" rel="nofollow noopener" translate="no"><span class="invisible">${escapeHtml(prefix)}</span>${shown}</a>`;
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

function parseBody(raw: string, contentType = ''): unknown {
  if (!raw) return undefined;
  if (contentType.includes('application/x-www-form-urlencoded')) {
    // Rails turns `media_ids[]=1&media_ids[]=2` into media_ids: ['1', '2'].
    const body: Record<string, string | string[]> = {};
    for (const [key, value] of new URLSearchParams(raw)) {
      if (key.endsWith('[]')) body[key.slice(0, -2)] = [...list(body[key.slice(0, -2)]), value];
      else body[key] = value;
    }
    return body;
  }
  try {
    return JSON.parse(raw);
  } catch {
    return raw;
  }
}

// Keys stay as sent (`types[]`); a key that repeats or ends in [] always maps to an array.
function parseQuery(params: URLSearchParams): Record<string, string | string[]> {
  const query: Record<string, string | string[]> = {};
  for (const [key, value] of params) {
    if (key in query || key.endsWith('[]')) query[key] = [...list(query[key]), value];
    else query[key] = value;
  }
  return query;
}

// Rails' to_query: keys sorted, brackets percent-encoded.
function toQuery(entries: [string, string | string[]][]): string {
  return entries
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .flatMap(([key, value]) => list(value).map((v) => `${encodeURIComponent(key)}=${encodeURIComponent(v)}`))
    .join('&');
}

function cursor(value: string | string[] | undefined): bigint | undefined {
  const id = first(value);
  if (id === undefined) return undefined;
  return /^\d+$/.test(id) ? BigInt(id) : 0n;
}

function list(value: string | string[] | undefined): string[] {
  return value === undefined ? [] : Array.isArray(value) ? value : [value];
}

function first(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
