import { ConnectorError } from '../../connector-error.js';
import type { RedditListing, RedditThing } from './reddit.types.js';

// Where a feed stopped: the newest item it took, and that item's time for when the item is gone.
export interface FeedAnchor {
  fullname: string;
  createdUtc: number;
}

// Stored in the cursor as one string per feed: "t3_kzj68i@1610930669".
export function formatAnchor(anchor: FeedAnchor): string {
  return `${anchor.fullname}@${anchor.createdUtc}`;
}

export function parseAnchor(value: string | undefined): FeedAnchor | null {
  const at = value?.lastIndexOf('@') ?? -1;
  if (!value || at <= 0) return null;
  const createdUtc = Number(value.slice(at + 1));
  return Number.isFinite(createdUtc) ? { fullname: value.slice(0, at), createdUtc } : null;
}

export function anchorOf(thing: RedditThing | undefined): FeedAnchor | null {
  return thing ? { fullname: thing.data.name, createdUtc: thing.data.created_utc } : null;
}

// What a newest-first page holds that the feed has not taken yet: the items above the anchor
// when the page holds it; otherwise (the anchor was deleted, or lies further down) those created
// at or after its time. `reached` says the page goes back as far as the anchor, so no older page
// is needed. A lookback also takes items up to that many seconds older than the anchor, for a
// search index that adds posts late; the store drops those it already has.
export function unseenOnPage(children: RedditThing[], anchor: FeedAnchor, lookbackSeconds = 0): { unseen: RedditThing[]; reached: boolean } {
  const since = anchor.createdUtc - lookbackSeconds;
  const at = children.findIndex((c) => c.data.name === anchor.fullname);
  if (at >= 0) {
    const late = lookbackSeconds ? children.slice(at + 1).filter((c) => c.data.created_utc >= since) : [];
    return { unseen: [...children.slice(0, at), ...late], reached: true };
  }
  const unseen = children.filter((c) => c.data.created_utc >= since);
  return { unseen, reached: unseen.length < children.length };
}

// A Listing whose children all carry a fullname and a time, or BAD_RESPONSE.
export function readListing(body: unknown, what: string): RedditListing {
  const listing = body as RedditListing;
  const children = listing?.kind === 'Listing' ? listing.data?.children : undefined;
  if (!Array.isArray(children)) throw new ConnectorError('BAD_RESPONSE', `${what} did not answer a Listing`);
  for (const child of children) {
    if (typeof child?.kind !== 'string' || typeof child.data?.name !== 'string' || typeof child.data.created_utc !== 'number') {
      throw new ConnectorError('BAD_RESPONSE', `${what} listed a thing without its fullname or time`);
    }
  }
  return { kind: 'Listing', data: { after: stringOrNull(listing.data.after), before: stringOrNull(listing.data.before), children } };
}

function stringOrNull(value: unknown): string | null {
  return typeof value === 'string' && value ? value : null;
}
