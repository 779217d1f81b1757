import type { XListMeta } from './x.types.js';

// A cursor holds, per feed (mentions, each keyword search):
//   <feed>       the newest post id read in full: the next walk stops at it (since_id)
//   <feed>.next  the next page of a walk under way (X's pagination token)
//   <feed>.top   the newest id of that walk, which becomes <feed> once the walk is done
// X pages newest first. A walk reads back from the newest post to since_id, one page per
// fetch, and the cursor is stored with every page: a restart goes on from the page after the
// last one stored, and since_id moves only when every page of the walk is in.

export const MENTIONS = 'mentions';
export const searchFeed = (query: string) => `search:${query}`;

const nextKey = (feed: string) => `${feed}.next`;
const topKey = (feed: string) => `${feed}.top`;

export interface FeedPosition {
  sinceId?: string;
  paginationToken?: string;
}

export function feedPosition(cursor: Record<string, string>, feed: string): FeedPosition {
  return { sinceId: cursor[feed], paginationToken: cursor[nextKey(feed)] };
}

// Feeds in the middle of a walk are finished first; only then do all feeds start new walks.
export function feedsToRead(cursor: Record<string, string>, feeds: string[]): string[] {
  const walking = feeds.filter((feed) => cursor[nextKey(feed)]);
  return walking.length ? walking : feeds;
}

export function walkUnderWay(cursor: Record<string, string>, feeds: string[]): boolean {
  return feeds.some((feed) => cursor[nextKey(feed)]);
}

// The cursor after one page of a feed. A first read (no since_id yet) keeps only the newest page:
// older posts are not fetched.
export function afterPage(cursor: Record<string, string>, feed: string, meta: XListMeta): Record<string, string> {
  const next = { ...cursor };
  const top = cursor[topKey(feed)] ?? meta.newest_id;
  if (cursor[feed] && meta.next_token) {
    next[nextKey(feed)] = meta.next_token;
    if (top) next[topKey(feed)] = top;
    return next;
  }
  delete next[nextKey(feed)];
  delete next[topKey(feed)];
  if (top) next[feed] = top;
  return next;
}
