import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import http, { type IncomingHttpHeaders, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { resolve } from 'node:path';
import { PROJECT_ROOT } from './paths.js';

// Recorded feeds (feedjira's fixtures); RSS and Atom have no machine-readable contract.
export const FEED_CONTRACTS = resolve(PROJECT_ROOT, '../shared/contracts/feeds');

export function feedContractsAvailable(): boolean {
  return existsSync(FEED_CONTRACTS);
}

export type FeedFault =
  | { kind: '429'; retryAfter?: string }
  | { kind: 'status'; status: number }
  | { kind: 'timeout' }
  // The body cut in half, as a proxy that drops the connection mid-answer leaves it.
  | { kind: 'malformed' }
  // A 200 with another body: a login page, a captive portal, broken XML.
  | { kind: 'body'; body: string; contentType?: string }
  | { kind: 'redirect'; to: string; status?: 301 | 302 | 307 | 308 };

export interface RecordedRequest {
  method: string;
  path: string;
  headers: IncomingHttpHeaders;
  // null while unanswered (a 'timeout' fault never answers)
  status: number | null;
}

export interface FeedEntry {
  // The id the feed gives the entry (Atom <id>, RSS <guid>): the post's external id.
  id: string;
  title: string;
  summary: string;
  // The entry's page, as the agent should see it (Google Alerts wraps it in a redirect).
  link: string;
  author: string | null;
  published: Date;
}

// Which validators a feed answers with; real servers send both, one or none.
export type Validators = 'both' | 'etag' | 'last-modified' | 'none';

interface Document {
  contentType: string;
  body(): string;
  changedAt: Date;
  validators: Validators;
}

// A real HTTP server on loopback that serves feeds as sites do: recorded feeds from
// ../shared/contracts/feeds, and feeds built from the entries a test adds in the shapes of those
// recordings (a Google Alert in Atom, a review site in RSS 2.0). It answers conditional requests
// with 304, records every request and fails the ones it is told to.
export class FeedServer {
  readonly requests: RecordedRequest[] = [];
  private readonly documents = new Map<string, Document>();
  private readonly redirects = new Map<string, { to: string; status: number }>();
  private readonly faults: { path: string; fault: FeedFault }[] = [];
  private readonly hanging = new Set<ServerResponse>();

  private constructor(
    private readonly server: http.Server,
    readonly url: string,
  ) {}

  static async start(): Promise<FeedServer> {
    const server = http.createServer();
    await new Promise<void>((done, fail) => {
      server.once('error', fail);
      server.listen(0, '127.0.0.1', done);
    });
    const feeds = new FeedServer(server, `http://127.0.0.1:${(server.address() as AddressInfo).port}`);
    server.on('request', (req: IncomingMessage, res: ServerResponse) => feeds.handle(req, res));
    return feeds;
  }

  async stop(): Promise<void> {
    for (const res of this.hanging) res.destroy();
    this.server.closeAllConnections();
    await new Promise<void>((done) => this.server.close(() => done()));
  }

  // A recorded feed from ../shared/contracts/feeds, read now, served as it is.
  serveRecorded(path: string, name: string): string {
    const body = readFileSync(resolve(FEED_CONTRACTS, name), 'utf8');
    const contentType = name.endsWith('.json') ? 'application/feed+json' : 'application/xml; charset=utf-8';
    this.documents.set(path, { contentType, body: () => body, changedAt: new Date(), validators: 'both' });
    return `${this.url}${path}`;
  }

  // A Google Alert as its Atom feed looks (google_alerts_atom.xml): the query in <b>, links
  // through https://www.google.com/url?...&url=<real>, no author names.
  googleAlert(path: string, query: string, opts: FeedOptions = {}): BuiltFeed {
    return this.build(path, 'application/atom+xml; charset=utf-8', opts.validators, (entries, updated) => googleAlertAtom(`${this.url}${path}`, query, entries, updated, opts.hub), (n) => ({
      // Each alert numbers its entries apart, as Google's ids are unique across alerts.
      id: `tag:google.com,2013:googlealerts/feed:${BigInt(`0x${sha256(path).slice(0, 12)}`) * 100000n + BigInt(n)}`,
      link: `https://news.example/${n}`,
      author: null,
    }));
  }

  // A review site's RSS 2.0 feed (the shape of TechCrunch.xml and HuffPostCanada.xml): guid,
  // pubDate, dc:creator and an HTML description in CDATA.
  reviewFeed(path: string, title: string, opts: FeedOptions = {}): BuiltFeed {
    return this.build(path, 'application/rss+xml; charset=utf-8', opts.validators, (entries, updated) => reviewRss(`${this.url}${path}`, title, entries, updated, opts.hub), (n) => ({
      id: `tag:reviews.example,2026:${path}/${n}`,
      link: `https://reviews.example${path.replace(/\.\w+$/, '')}/${n}`,
      author: `Reviewer ${n}`,
    }));
  }

  // Answers every request for `from` with a redirect to `to` (a path here or a full URL).
  redirect(from: string, to: string, status = 301): void {
    this.redirects.set(from, { to, status });
  }

  failNext(path: string, fault: FeedFault, count = 1): void {
    for (let i = 0; i < count; i++) this.faults.push({ path, fault });
  }

  requestsFor(path: string): RecordedRequest[] {
    return this.requests.filter((r) => r.path === path);
  }

  private build(
    path: string,
    contentType: string,
    validators: Validators = 'both',
    render: (entries: FeedEntry[], updated: Date) => string,
    defaults: (n: number) => Pick<FeedEntry, 'id' | 'link' | 'author'>,
  ): BuiltFeed {
    const entries: FeedEntry[] = [];
    const document: Document = { contentType, changedAt: new Date(), validators, body: () => render(entries, document.changedAt) };
    this.documents.set(path, document);
    return {
      url: `${this.url}${path}`,
      entries,
      contentType,
      body: document.body,
      add: (entry) => {
        const added = { ...defaults(entries.length + 1), published: new Date(), summary: '', ...entry };
        // Newest first, as feeds list them.
        entries.unshift(added);
        document.changedAt = new Date();
        return added;
      },
    };
  }

  private handle(req: IncomingMessage, res: ServerResponse): void {
    const path = (req.url ?? '/').split('?')[0];
    const record: RecordedRequest = { method: req.method ?? 'GET', path, headers: req.headers, status: null };
    this.requests.push(record);
    const send = (status: number, headers: Record<string, string>, body = '') => {
      record.status = status;
      res.writeHead(status, status === 304 ? headers : { 'Content-Length': String(Buffer.byteLength(body)), ...headers }).end(status === 304 ? undefined : body);
    };

    const at = this.faults.findIndex((f) => f.path === path);
    const fault = at >= 0 ? this.faults.splice(at, 1)[0].fault : null;
    if (fault?.kind === 'timeout') {
      this.hanging.add(res);
      return;
    }
    if (fault?.kind === '429') return send(429, { 'Content-Type': 'text/html', ...(fault.retryAfter ? { 'Retry-After': fault.retryAfter } : {}) }, '<html><body>Too Many Requests</body></html>');
    if (fault?.kind === 'body') return send(200, { 'Content-Type': fault.contentType ?? 'text/html; charset=utf-8' }, fault.body);
    if (fault?.kind === 'status') return send(fault.status, { 'Content-Type': 'text/html' }, `<html><body>${http.STATUS_CODES[fault.status] ?? 'Error'}</body></html>`);
    const redirect = fault?.kind === 'redirect' ? { to: fault.to, status: fault.status ?? 302 } : this.redirects.get(path);
    if (redirect) return send(redirect.status, { Location: redirect.to.startsWith('/') ? `${this.url}${redirect.to}` : redirect.to });

    const document = this.documents.get(path);
    if (!document || req.method !== 'GET') return send(404, { 'Content-Type': 'text/html' }, '<html><body>Not Found</body></html>');
    const body = document.body();
    const validators: Record<string, string> = {};
    const etag = `"${sha256(body).slice(0, 20)}"`;
    // HTTP dates have whole seconds.
    const lastModified = new Date(Math.floor(document.changedAt.getTime() / 1000) * 1000);
    if (document.validators === 'both' || document.validators === 'etag') validators.ETag = etag;
    if (document.validators === 'both' || document.validators === 'last-modified') validators['Last-Modified'] = lastModified.toUTCString();
    if (!fault && notModified(req.headers, validators.ETag, validators['Last-Modified'] ? lastModified : null)) return send(304, validators);
    const served = fault?.kind === 'malformed' ? body.slice(0, Math.floor(body.length / 2)) : body;
    send(200, { 'Content-Type': document.contentType, 'Cache-Control': 'private, max-age=0', ...validators }, served);
  }
}

export interface FeedOptions {
  validators?: Validators;
  // The WebSub hub the feed names in its own links (<link rel="hub">, <atom:link rel="hub">).
  hub?: string;
}

export interface BuiltFeed {
  url: string;
  // Newest first, as served.
  entries: FeedEntry[];
  // The document as served now: what a hub pushes.
  contentType: string;
  body(): string;
  add(entry: Partial<FeedEntry> & Pick<FeedEntry, 'title'>): FeedEntry;
}

// RFC 9110, 13.2.2: If-None-Match decides when present; If-Modified-Since only without it.
function notModified(headers: IncomingHttpHeaders, etag: string | undefined, lastModified: Date | null): boolean {
  const match = headers['if-none-match'];
  if (match !== undefined) return !!etag && match.split(',').some((tag) => tag.trim().replace(/^W\//, '') === etag || tag.trim() === '*');
  const since = headers['if-modified-since'] ? Date.parse(headers['if-modified-since']) : NaN;
  return !!lastModified && !Number.isNaN(since) && lastModified.getTime() <= since;
}

function googleAlertAtom(self: string, query: string, entries: FeedEntry[], updated: Date, hub?: string): string {
  const bold = (text: string) => escapeXml(text).replace(new RegExp(escapeRegExp(escapeXml(query)), 'gi'), (q) => `<b>${q}</b>`);
  // type="html": the markup is itself escaped once more inside the XML.
  const html = (text: string) => escapeXml(bold(text));
  const redirect = (link: string) => `https://www.google.com/url?rct=j&sa=t&url=${link.replace(/[&#+%]/g, encodeURIComponent)}&ct=ga&cd=CAIyHGU4ZTJkZjQ3OTVkYmIzMTc6Y28uanA6ZW46SlA&usg=AFQjCNHUcRGtHY1ygcMDkVS68IgpYs7Wpg`;
  return (
    `<?xml version="1.0" encoding="utf-8"?> <feed xmlns="http://www.w3.org/2005/Atom" xmlns:idx="urn:atom-extension:indexing">` +
    ` <id>tag:google.com,2005:reader/user/04175468913983673025/state/com.google/alerts/4428013283581841004</id>` +
    ` <title>Google Alert - ${escapeXml(query)}</title> <link href="${escapeXml(self)}" rel="self"></link>${hub ? ` <link href="${escapeXml(hub)}" rel="hub"></link>` : ''} <updated>${updated.toISOString().replace(/\.\d+Z$/, 'Z')}</updated> ` +
    entries
      .map(
        (e) =>
          `<entry> <id>${escapeXml(e.id)}</id> <title type="html">${html(e.title)}</title> <link href="${escapeXml(redirect(e.link))}"></link>` +
          ` <published>${atomDate(e.published)}</published> <updated>${atomDate(e.published)}</updated> <content type="html">${html(e.summary)}</content>` +
          ` <author> <name>${escapeXml(e.author ?? '')}</name> </author> </entry>`,
      )
      .join('') +
    `</feed>`
  );
}

function reviewRss(self: string, title: string, entries: FeedEntry[], updated: Date, hub?: string): string {
  return (
    `<?xml version="1.0" encoding="UTF-8"?>\n<rss version="2.0" xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:atom="http://www.w3.org/2005/Atom">\n  <channel>\n` +
    `    <title><![CDATA[${cdata(title)}]]></title>\n    <link>https://reviews.example/acme</link>\n    <description><![CDATA[Latest reviews]]></description>\n` +
    `    <language>en</language>\n    <atom:link href="${escapeXml(self)}" rel="self" type="application/rss+xml"/>\n` +
    (hub ? `    <atom:link href="${escapeXml(hub)}" rel="hub"/>\n` : '') +
    `    <lastBuildDate>${rfc822(updated)}</lastBuildDate>\n` +
    entries
      .map(
        (e) =>
          `    <item>\n      <title><![CDATA[${cdata(e.title)}]]></title>\n      <link>${escapeXml(e.link)}</link>\n      <guid isPermaLink="false">${escapeXml(e.id)}</guid>\n` +
          `      <pubDate>${rfc822(e.published)}</pubDate>\n` +
          (e.author ? `      <dc:creator><![CDATA[${cdata(e.author)}]]></dc:creator>\n` : '') +
          `      <description><![CDATA[<p>${cdata(escapeXml(e.summary)).replace(/\n/g, '<br />')}</p>]]></description>\n    </item>\n`,
      )
      .join('') +
    `  </channel>\n</rss>\n`
  );
}

function sha256(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}

function atomDate(at: Date): string {
  return at.toISOString().replace(/\.\d+Z$/, 'Z');
}

function rfc822(at: Date): string {
  return at.toUTCString().replace('GMT', '+0000');
}

function escapeXml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] as string);
}

function cdata(text: string): string {
  return text.replaceAll(']]>', ']]]]><![CDATA[>');
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

// The app's config with one feed source per URL, polled by the test (the timers are off).
export function feedSources(feeds: Record<string, string>, extra: Record<string, unknown> = {}) {
  return {
    brands: [{ id: 'acme', name: 'Acme', defaultLanguage: 'en', sla: { ackMinutes: 60 }, followUp: { delayMinutes: 4320 } }],
    sources: Object.entries(feeds).map(([id, url]) => ({ id, brand: 'acme', type: 'rss', pollSeconds: 60, rss: { url, timeoutMs: 500, ...extra } })),
    worker: { schedule: false, publishEveryMs: 200 },
  };
}
