import { describe, expect, it } from '@jest/globals';
import { MENTIONS, afterPage, feedPosition, feedsToRead, searchFeed, walkUnderWay } from './x-feed-cursor.js';

const SEARCH = searchFeed('acme broken');
const FEEDS = [MENTIONS, SEARCH];

describe('the X feed cursor', () => {
  it('keeps only the newest page on a first read: the cursor starts at its newest id', () => {
    const cursor = afterPage({}, MENTIONS, { result_count: 10, newest_id: '900', oldest_id: '800', next_token: 'older' });
    expect(cursor).toEqual({ mentions: '900' });
    expect(walkUnderWay(cursor, FEEDS)).toBe(false);
  });

  it('leaves a feed without a cursor while it has no posts at all', () => {
    expect(afterPage({}, MENTIONS, { result_count: 0 })).toEqual({});
  });

  it('walks back to since_id page by page and moves since_id only when the walk is done', () => {
    let cursor: Record<string, string> = { mentions: '100' };
    cursor = afterPage(cursor, MENTIONS, { result_count: 10, newest_id: '400', oldest_id: '310', next_token: 't1' });
    expect(cursor).toEqual({ mentions: '100', 'mentions.next': 't1', 'mentions.top': '400' });
    expect(feedPosition(cursor, MENTIONS)).toEqual({ sinceId: '100', paginationToken: 't1' });
    expect(walkUnderWay(cursor, FEEDS)).toBe(true);

    cursor = afterPage(cursor, MENTIONS, { result_count: 10, newest_id: '300', oldest_id: '210', next_token: 't2' });
    expect(cursor).toEqual({ mentions: '100', 'mentions.next': 't2', 'mentions.top': '400' });

    cursor = afterPage(cursor, MENTIONS, { result_count: 3, newest_id: '200', oldest_id: '150' });
    expect(cursor).toEqual({ mentions: '400' });
    expect(walkUnderWay(cursor, FEEDS)).toBe(false);
  });

  it('keeps since_id when nothing new came', () => {
    expect(afterPage({ mentions: '100' }, MENTIONS, { result_count: 0 })).toEqual({ mentions: '100' });
  });

  it('finishes the feeds in the middle of a walk before starting new walks on all of them', () => {
    const cursor = { mentions: '100', [SEARCH]: '50', [`${SEARCH}.next`]: 'p2', [`${SEARCH}.top`]: '90' };
    expect(feedsToRead(cursor, FEEDS)).toEqual([SEARCH]);
    expect(feedsToRead({ mentions: '100', [SEARCH]: '90' }, FEEDS)).toEqual(FEEDS);
  });

  it('ignores the walk of a keyword no longer configured', () => {
    const cursor = { mentions: '100', 'search:old.next': 'p2' };
    expect(feedsToRead(cursor, FEEDS)).toEqual(FEEDS);
    expect(walkUnderWay(cursor, FEEDS)).toBe(false);
  });

  it('leaves the other feeds’ positions alone', () => {
    const cursor = afterPage({ mentions: '100', [SEARCH]: '50' }, SEARCH, { result_count: 1, newest_id: '77', oldest_id: '77' });
    expect(cursor).toEqual({ mentions: '100', [SEARCH]: '77' });
  });
});
