import { describe, expect, it } from '@jest/globals';
import type { FetchedPost } from '../../social-connector.js';
import { MAX_SEEN, seenAfter, seenKey, unseenPosts } from './feed-cursor.js';

const post = (externalId: string) => ({ externalId }) as FetchedPost;

describe('the feed cursor', () => {
  it('hands over only the entries the last stored document did not hold', () => {
    const first = [post('c'), post('b'), post('a')];
    const seen = seenAfter(first);
    expect(unseenPosts(first, seen)).toEqual([]);
    expect(unseenPosts([post('e'), post('d'), post('c'), post('b')], seen).map((p) => p.externalId)).toEqual(['e', 'd']);
  });

  it('hands over the whole feed on the first poll', () => {
    expect(unseenPosts([post('b'), post('a')], undefined)).toHaveLength(2);
  });

  it('stays bounded, and hands an entry beyond the bound over again rather than skip it', () => {
    const huge = Array.from({ length: MAX_SEEN + 5 }, (_, i) => post(`https://reviews.example/${i}?with=a-long-query-string`));
    const seen = seenAfter(huge);
    expect(seen.split(' ')).toHaveLength(MAX_SEEN);
    expect(seen.length).toBeLessThan(MAX_SEEN * 18);
    expect(unseenPosts(huge, seen).map((p) => p.externalId)).toEqual(huge.slice(MAX_SEEN).map((p) => p.externalId));
  });

  it('keys ids by a short hash that tells them apart', () => {
    expect(seenKey('urn:a')).toHaveLength(16);
    expect(seenKey('urn:a')).not.toBe(seenKey('urn:b'));
  });
});
