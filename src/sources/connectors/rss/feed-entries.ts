import { createHash } from 'node:crypto';
import { type AnyFeed, type AtomFeed, DetectError, MalformedError, ParseError, parseFeed } from 'feedsmith';
import { ConnectorError } from '../../connector-error.js';
import { htmlToText } from '../../html-text.js';
import type { FetchedPost } from '../../social-connector.js';
import type { DocumentLinks } from './websub.js';

// A full article in a feed can run to tens of thousands of characters; the case needs its opening.
const MAX_TEXT = 5000;
// An RSS, Atom or RDF document cut short still parses (the parser is forgiving), so it must end
// by closing its root. Some RSS feeds forget </rss>; a closed <channel> holds every item all the same.
const LAST_CLOSING_TAG = /<\/(?:[\w.-]+:)?([\w.-]+)\s*>(?:\s|<!--[\s\S]*?-->)*$/;
const ROOTS: Record<string, string[]> = { rss: ['rss', 'channel'], atom: ['feed'], rdf: ['rdf'] };
const LANGUAGE_TAG = /^[a-z]{2,3}(?:-[a-z0-9]{1,8})*$/i;
const TRACKING_PARAM = /^(?:utm_[a-z]+|fbclid|gclid)$/i;

export interface FeedContext {
  // The configured feed: its host names the authors, and relative links resolve against it.
  feedUrl: string;
  // Entries without a usable date are dated when they were fetched.
  fetchedAt: Date;
}

// One entry of any format, read into plain text before it becomes a post.
interface Entry {
  id: string | undefined;
  link: string | undefined;
  title: string;
  body: string;
  dates: (string | undefined)[];
  language: string | undefined;
  author: string | undefined;
  inReplyTo: string | undefined;
  raw: unknown;
}

interface Feed {
  title: string;
  entries: Entry[];
  // The hubs and the canonical URL the feed names for itself (WebSub discovery).
  links: DocumentLinks;
}

export interface FeedDocument {
  posts: FetchedPost[];
  links: DocumentLinks;
}

// A feed document (RSS 0.9x/2.0, Atom, RDF or JSON Feed) as posts, in document order, each once.
// Anything that is not a whole feed is a BAD_RESPONSE: a half-read feed must not move the cursor.
export function readFeed(body: string, context: FeedContext): FetchedPost[] {
  return readFeedDocument(body, context).posts;
}

// The same, with the links the document names for itself.
export function readFeedDocument(body: string, context: FeedContext): FeedDocument {
  let parsed: AnyFeed;
  try {
    parsed = parseFeed(body);
  } catch (error) {
    if (error instanceof DetectError) throw new ConnectorError('BAD_RESPONSE', 'the body is not an RSS, Atom, RDF or JSON feed');
    if (error instanceof MalformedError || error instanceof ParseError) throw new ConnectorError('BAD_RESPONSE', `the feed is malformed (${(error.cause as Error)?.message ?? error.message})`);
    throw error;
  }
  const last = LAST_CLOSING_TAG.exec(body)?.[1].toLowerCase();
  if (parsed.format !== 'json' && !(last && ROOTS[parsed.format].includes(last))) {
    throw new ConnectorError('BAD_RESPONSE', `the ${parsed.format} feed is cut short (its root element never closes)`);
  }
  const feed = entriesOf(parsed);
  const host = new URL(context.feedUrl).host;
  const posts = new Map<string, FetchedPost>();
  for (const entry of feed.entries) {
    const post = toPost(entry, feed, host, context);
    if (!posts.has(post.externalId)) posts.set(post.externalId, post);
  }
  return { posts: [...posts.values()], links: feed.links };
}

// Google Alerts (and Google News) link through a redirect: https://www.google.com/url?...&url=<real>.
export function unwrapRedirect(link: string): string {
  try {
    const url = new URL(link);
    if (!/^(?:www\.)?google\.[a-z]{2,3}(?:\.[a-z]{2})?$/i.test(url.hostname) || url.pathname !== '/url') return link;
    const real = url.searchParams.get('url') ?? url.searchParams.get('q');
    return real && /^https?:\/\//i.test(real) ? real : link;
  } catch {
    return link;
  }
}

// The entry's link as the agent opens it: unwrapped, absolute, http(s) only (a stranger's
// "javascript:" link is no link), without tracking parameters.
export function entryUrl(link: string | undefined, base: string): string | null {
  if (!link?.trim()) return null;
  let url: URL;
  try {
    url = new URL(unwrapRedirect(link.trim()), base);
  } catch {
    return null;
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return null;
  for (const key of [...url.searchParams.keys()]) if (TRACKING_PARAM.test(key)) url.searchParams.delete(key);
  return url.href;
}

// The first date that parses; one ahead of the fetch is a wrong clock or a scheduled post, and
// counts from when it was seen (a date in the future would push the case's deadline out).
export function entryDate(dates: (string | undefined)[], fetchedAt: Date): Date {
  for (const raw of dates) {
    const at = raw?.trim() ? new Date(raw.trim()) : null;
    if (at && !Number.isNaN(at.getTime())) return at.getTime() > fetchedAt.getTime() ? fetchedAt : at;
  }
  return fetchedAt;
}

function toPost(entry: Entry, feed: Feed, host: string, context: FeedContext): FetchedPost {
  const url = entryUrl(entry.link, context.feedUrl);
  const externalId = entry.id?.trim() || url || `sha256:${sha256(`${entry.title}\n${entry.dates.find((d) => d?.trim()) ?? ''}`).slice(0, 32)}`;
  const name = entry.author || feed.title || host;
  return {
    externalId,
    url,
    text: entryText(entry.title, entry.body),
    language: entry.language && LANGUAGE_TAG.test(entry.language) ? entry.language : null,
    visibility: 'public',
    postedAt: entryDate(entry.dates, context.fetchedAt),
    // Feeds have no threads. A comment feed that says what a comment answers (Atom Threading,
    // thr:in-reply-to) keeps it, so a customer's second comment on the same article joins the
    // case; a <comments> link (RSSWithComments) only points at a discussion page.
    inReplyToExternalId: entry.inReplyTo?.trim() || null,
    author: { externalId: `${host}/${name.toLowerCase()}`, handle: `${name} (${host})`, displayName: name, followers: null },
    raw: entry.raw,
  };
}

// The title, a blank line, then the summary; the title alone when the summary only repeats it.
function entryText(title: string, body: string): string {
  const text = !body || body === title ? title : !title || body.startsWith(title) ? body : `${title}\n\n${body}`;
  const chars = [...text];
  return chars.length > MAX_TEXT ? `${chars.slice(0, MAX_TEXT - 1).join('')}…` : text;
}

function entriesOf(parsed: AnyFeed): Feed {
  switch (parsed.format) {
    case 'rss': {
      const { feed } = parsed;
      const language = str(feed.language) ?? str(feed.dc?.languages?.[0]);
      return {
        title: plain(feed.title),
        links: relLinks(feed.atom?.links),
        entries: (feed.items ?? []).map((item) => ({
          id: str(item.guid?.value),
          link: str(item.link) ?? str(item.atom?.links?.[0]?.href) ?? (item.guid?.isPermaLink !== false ? str(item.guid?.value) : undefined),
          title: html(item.title ?? item.dc?.titles?.[0]),
          body: html(item.description ?? item.content?.encoded ?? item.dc?.descriptions?.[0]),
          dates: [str(item.pubDate), str(item.dc?.dates?.[0]), str(item.atom?.published), str(item.atom?.updated)],
          language: str(item.dc?.languages?.[0]) ?? language,
          author: plain(item.dc?.creators?.[0] ?? item.authors?.[0]?.name ?? item.authors?.[0]?.email) || undefined,
          inReplyTo: str(item.thr?.inReplyTos?.[0]?.ref),
          raw: item,
        })),
      };
    }
    case 'atom': {
      const { feed } = parsed;
      const language = str(feed.xml?.lang);
      // An Atom entry without authors has its feed's (RFC 4287, 4.2.1).
      const feedAuthor = plain(feed.authors?.[0]?.name);
      return {
        title: atomText(feed.title),
        links: relLinks(feed.links),
        entries: (feed.entries ?? []).map((entry) => ({
          id: str(entry.id),
          link: atomLink(entry.links),
          title: atomText(entry.title),
          body: atomText(entry.summary) || atomText(entry.content) || atomText(entry.media?.description ?? entry.media?.groups?.[0]?.description),
          dates: [str(entry.published), str(entry.updated), str(entry.dc?.dates?.[0])],
          language: str(entry.xml?.lang) ?? language,
          author: plain(entry.authors?.[0]?.name ?? entry.dc?.creators?.[0]) || feedAuthor || undefined,
          inReplyTo: str(entry.thr?.inReplyTos?.[0]?.ref),
          raw: entry,
        })),
      };
    }
    case 'rdf': {
      const { feed } = parsed;
      const language = str(feed.dc?.languages?.[0]);
      return {
        title: plain(feed.title),
        links: relLinks(feed.atom?.links),
        entries: (feed.items ?? []).map((item) => ({
          id: str(item.rdf?.about),
          link: str(item.link),
          title: html(item.title),
          body: html(item.description ?? item.content?.encoded),
          dates: [str(item.dc?.dates?.[0])],
          language: str(item.dc?.languages?.[0]) ?? language,
          author: plain(item.dc?.creators?.[0]) || undefined,
          inReplyTo: undefined,
          raw: item,
        })),
      };
    }
    case 'json': {
      const { feed } = parsed;
      const feedAuthor = plain(feed.authors?.[0]?.name);
      return {
        title: plain(feed.title),
        // JSON Feed names its hubs by type; WebSub is the one Paradox speaks.
        links: { hubs: (feed.hubs ?? []).filter((h) => /^websub$/i.test(h.type ?? '')).flatMap((h) => str(h.url) ?? []), self: str(feed.feed_url) },
        entries: (feed.items ?? []).map((item) => ({
          id: str(item.id),
          link: str(item.url) ?? str(item.external_url),
          title: plain(item.title),
          // JSON Feed's summary and content_text are plain text; only content_html is markup.
          body: plain(item.summary) || plain(item.content_text) || html(item.content_html),
          dates: [str(item.date_published), str(item.date_modified)],
          language: str(item.language) ?? str(feed.language),
          author: plain(item.authors?.[0]?.name) || feedAuthor || undefined,
          inReplyTo: undefined,
          raw: item,
        })),
      };
    }
  }
}

function relLinks(links: { href?: string; rel?: string }[] | undefined): DocumentLinks {
  const of = (rel: string) => (links ?? []).filter((l) => l.rel?.toLowerCase() === rel).flatMap((l) => str(l.href) ?? []);
  return { hubs: of('hub'), self: of('self')[0] };
}

// The entry's page: the "alternate" link, else the first that is not the feed itself.
function atomLink(links: AtomFeed.Link<string>[] | undefined): string | undefined {
  const usable = (links ?? []).filter((l) => str(l.href));
  return str((usable.find((l) => !l.rel || l.rel === 'alternate') ?? usable.find((l) => l.rel !== 'self' && l.rel !== 'replies'))?.href);
}

// Atom says how its text is written: type="html" and "xhtml" are markup, anything else text.
function atomText(text: { value?: string; type?: string; src?: string } | undefined): string {
  if (!text || text.src) return '';
  return /html/i.test(text.type ?? '') ? html(text.value) : plain(text.value);
}

// RSS and RDF titles and descriptions are HTML in practice (titles carry <b>, entities).
function html(value: unknown): string {
  return typeof value === 'string' ? htmlToText(value) : '';
}

function plain(value: unknown): string {
  return typeof value === 'string' ? value.replace(/[ \t\r\f]+/g, ' ').replace(/ ?\n ?/g, '\n').replace(/\n{3,}/g, '\n\n').trim() : '';
}

// Feeds in the wild put numbers where strings belong.
function str(value: unknown): string | undefined {
  if (typeof value === 'number' && Number.isFinite(value)) return String(value);
  return typeof value === 'string' && value.trim() ? value.trim() : undefined;
}

function sha256(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}
