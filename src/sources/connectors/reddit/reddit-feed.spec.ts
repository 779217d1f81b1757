import { describe, expect, it } from '@jest/globals';
import { ConnectorError } from '../../connector-error.js';
import { formatAnchor, parseAnchor, readListing, unseenOnPage } from './reddit-feed.js';
import type { RedditThing } from './reddit.types.js';

const thing = (name: string, createdUtc: number): RedditThing => ({ kind: 't3', data: { name, id: name.slice(3), author: 'anna', author_fullname: 't2_a', created_utc: createdUtc, subreddit: 'acme' } });
// Newest first, as Reddit lists them.
const page = [thing('t3_e', 500), thing('t3_d', 400), thing('t3_c', 300), thing('t3_b', 300), thing('t3_a', 100)];
const names = (things: RedditThing[]) => things.map((t) => t.data.name);

describe('the feed anchor', () => {
  it('round-trips through the cursor', () => {
    expect(parseAnchor(formatAnchor({ fullname: 't1_fx5oyxp', createdUtc: 1594082900 }))).toEqual({ fullname: 't1_fx5oyxp', createdUtc: 1594082900 });
  });

  it('reads nothing from a missing or foreign cursor value', () => {
    expect(parseAnchor(undefined)).toBeNull();
    expect(parseAnchor('t3_abc')).toBeNull();
    expect(parseAnchor('t3_abc@soon')).toBeNull();
  });
});

describe('unseenOnPage', () => {
  it('takes what lies above the anchor when the page holds it', () => {
    expect(names(unseenOnPage(page, { fullname: 't3_c', createdUtc: 300 }).unseen)).toEqual(['t3_e', 't3_d']);
    expect(unseenOnPage(page, { fullname: 't3_c', createdUtc: 300 }).reached).toBe(true);
  });

  it('takes nothing when the anchor is the newest item', () => {
    expect(unseenOnPage(page, { fullname: 't3_e', createdUtc: 500 })).toEqual({ unseen: [], reached: true });
  });

  it('falls back to the anchor\'s time when the anchor was deleted, taking the same second again', () => {
    const read = unseenOnPage(page, { fullname: 't3_gone', createdUtc: 300 });
    expect(names(read.unseen)).toEqual(['t3_e', 't3_d', 't3_c', 't3_b']);
    expect(read.reached).toBe(true);
  });

  it('says the page did not reach back to the anchor when every item is newer', () => {
    const read = unseenOnPage(page, { fullname: 't3_older', createdUtc: 50 });
    expect(read.unseen).toHaveLength(5);
    expect(read.reached).toBe(false);
  });

  it('also takes items a little older than the anchor for a late search index', () => {
    expect(names(unseenOnPage(page, { fullname: 't3_d', createdUtc: 400 }, 150).unseen)).toEqual(['t3_e', 't3_c', 't3_b']);
  });
});

describe('readListing', () => {
  it('keeps after and before, and empty strings as null', () => {
    const listing = readListing({ kind: 'Listing', data: { after: 't3_a', before: '', children: [page[0]] } }, 'GET /r/acme/new');
    expect(listing.data).toMatchObject({ after: 't3_a', before: null });
  });

  it('refuses what is no Listing, or a child without its fullname or time', () => {
    expect(() => readListing({ error: 404 }, 'GET /r/acme/new')).toThrow(ConnectorError);
    expect(() => readListing({ kind: 'Listing', data: { children: [{ kind: 't3', data: { name: 't3_a' } }] } }, 'GET /r/acme/new')).toThrow('without its fullname or time');
  });
});
