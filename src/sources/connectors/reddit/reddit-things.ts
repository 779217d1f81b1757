import { ConnectorError } from '../../connector-error.js';
import type { FetchedPost } from '../../social-connector.js';
import { readListing } from './reddit-feed.js';
import type { RedditComment, RedditLink, RedditMessage, RedditThing } from './reddit.types.js';

// Permalinks are paths on the website, whichever host the API answered from.
export const REDDIT_WEB = 'https://www.reddit.com';

// What Reddit shows in place of text a moderator or the author took away.
const GONE = new Set(['[removed]', '[deleted]']);

// A thing as Paradox stores it, or null for what is no customer's post: a private message, a
// "more comments" stub, or text whose author deleted it or their account. The text stays the
// Markdown the author typed (raw_json=1), never the HTML Reddit renders from it.
export function thingToPost(thing: RedditThing): FetchedPost | null {
  if (thing.kind !== 't1' && thing.kind !== 't3') return null;
  const d = thing.data as Partial<RedditLink & RedditComment & RedditMessage>;
  if (typeof d?.name !== 'string' || typeof d.created_utc !== 'number') throw new ConnectorError('BAD_RESPONSE', `a ${thing.kind} without its fullname or time`);
  if (typeof d.author_fullname !== 'string' || typeof d.author !== 'string' || d.author === '[deleted]') return null;
  let text: string;
  let inReplyTo: string | null = null;
  let root: string | null = null;
  let path: string | undefined;
  if (thing.kind === 't3') {
    if (typeof d.title !== 'string') throw new ConnectorError('BAD_RESPONSE', `link ${d.name} has no title`);
    text = typeof d.selftext === 'string' && d.selftext && !GONE.has(d.selftext) ? `${d.title}\n\n${d.selftext}` : d.title;
    path = d.permalink;
  } else {
    if (typeof d.body !== 'string' || typeof d.parent_id !== 'string') throw new ConnectorError('BAD_RESPONSE', `comment ${d.name} has no body or parent`);
    if (GONE.has(d.body)) return null;
    text = d.body;
    inReplyTo = d.parent_id;
    // A listed comment names its link; an inbox item names its thread only in `context`.
    root = typeof d.link_id === 'string' ? d.link_id : linkOfContext(d.context);
    path = d.permalink ?? d.context;
  }
  return {
    externalId: d.name,
    url: path ? `${REDDIT_WEB}${path}` : null,
    text,
    language: null,
    visibility: 'public',
    postedAt: new Date(d.created_utc * 1000),
    inReplyToExternalId: inReplyTo,
    rootExternalId: root,
    author: { externalId: d.author_fullname, handle: `u/${d.author}`, displayName: null, followers: null },
    raw: thing,
  };
}

// GET /comments/:article answers [the link's Listing, its comment tree]. The posts come oldest
// first; a reply is never older than its parent, so each parent comes before its replies.
export function threadPosts(answer: unknown, what: string): FetchedPost[] {
  if (!Array.isArray(answer) || answer.length < 2) throw new ConnectorError('BAD_RESPONSE', `${what} did not answer the link and its comments`);
  const [link, comments] = [readListing(answer[0], what), readTree(answer[1], what)];
  const things = [...link.data.children, ...comments];
  return things
    .map(thingToPost)
    .filter((p): p is FetchedPost => p !== null)
    .sort((a, b) => a.postedAt.getTime() - b.postedAt.getTime());
}

// The brand's comment an earlier attempt of this reply made: under the same parent, with the
// same text. Reddit keeps the Markdown as sent, bar line ends and surrounding space.
export function earlierReply(comments: RedditThing[], parentId: string, text: string): RedditComment | undefined {
  const wanted = normalise(text);
  return comments
    .filter((c) => c.kind === 't1')
    .map((c) => c.data as RedditComment)
    .find((c) => c.parent_id === parentId && typeof c.body === 'string' && normalise(c.body) === wanted);
}

// The comment POST /api/comment made, or the failure it names in json.errors.
export function createdComment(answer: unknown): RedditComment | { code: string; message: string; ratelimit: unknown } {
  const json = (answer as { json?: Record<string, unknown> })?.json;
  if (!json || typeof json !== 'object') throw new ConnectorError('BAD_RESPONSE', 'POST /api/comment: the answer has no json');
  const errors = json.errors;
  if (Array.isArray(errors) && errors.length) {
    const [code, message] = Array.isArray(errors[0]) ? errors[0] : [String(errors[0]), ''];
    return { code: String(code), message: String(message ?? ''), ratelimit: json.ratelimit };
  }
  const thing = (json.data as { things?: RedditThing<RedditComment>[] } | undefined)?.things?.[0];
  if (thing?.kind !== 't1' || typeof thing.data?.name !== 'string') throw new ConnectorError('BAD_RESPONSE', 'POST /api/comment: the answer names no comment');
  return thing.data;
}

// Comments depth first, the replies of each from its `replies` Listing; "more" stubs are left out.
function readTree(listing: unknown, what: string): RedditThing[] {
  const children = (listing as { data?: { children?: unknown } })?.data?.children;
  if (!Array.isArray(children)) throw new ConnectorError('BAD_RESPONSE', `${what} has no comment Listing`);
  return (children as RedditThing<RedditComment>[]).flatMap((c) => {
    if (c?.kind !== 't1') return [];
    if (typeof c.data?.name !== 'string' || typeof c.data.created_utc !== 'number') throw new ConnectorError('BAD_RESPONSE', `${what} holds a comment without its fullname or time`);
    return [c, ...(c.data.replies ? readTree(c.data.replies, what) : [])];
  });
}

// "/r/acme/comments/hmkbt8/late_parcel/fx5oyxp/?context=3" → t3_hmkbt8
function linkOfContext(context: unknown): string | null {
  const id = typeof context === 'string' ? /\/comments\/([a-z0-9]+)\//i.exec(context)?.[1] : undefined;
  return id ? `t3_${id}` : null;
}

function normalise(text: string): string {
  return text.replace(/\r\n?/g, '\n').trim();
}
