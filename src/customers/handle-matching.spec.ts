import { describe, expect, it } from '@jest/globals';
import { localName, suggestLinks } from './handle-matching.js';

const author = (id: string, platform: string, handle: string, displayName: string | null = null) => ({ id, platform, handle, displayName });

describe('the local name of a handle', () => {
  it('is the name a person picked, on each platform', () => {
    expect(localName('mastodon', '@anna@mastodon.social')).toBe('anna');
    expect(localName('mastodon', '@anna')).toBe('anna');
    expect(localName('bluesky', '@anna.bsky.social')).toBe('anna');
    expect(localName('bluesky', 'anna.example.com')).toBe('anna');
    expect(localName('x', '@Anna')).toBe('anna');
    expect(localName('reddit', 'u/anna')).toBe('anna');
    expect(localName('reddit', '/u/anna')).toBe('anna');
    expect(localName('rss', 'Anna de Vries (reviews.example)')).toBe('annadevries');
    expect(localName('webhook', 'anna@example.com')).toBe('anna');
  });

  it('folds letters and drops separators, so anna_b, anna-b and Anna.B meet', () => {
    expect(localName('x', '@anna_b')).toBe('annab');
    expect(localName('bluesky', '@anna-b.bsky.social')).toBe('annab');
    expect(localName('mastodon', '@Anna_B@social.example')).toBe('annab');
    expect(localName('webhook', 'rené')).toBe('rene');
  });

  it('gives nothing for a name too short to tell people apart, or a Bluesky account without a handle', () => {
    expect(localName('x', '@al')).toBeNull();
    expect(localName('reddit', 'u/__')).toBeNull();
    expect(localName('bluesky', 'did:plc:abc123')).toBeNull();
    expect(localName('bluesky', '@handle.invalid')).toBeNull();
  });
});

describe('suggested links', () => {
  const own = [author('m1', 'mastodon', '@anna@mastodon.social', 'Anna de Vries')];

  it('suggests the same local name across platforms, the same display name first', () => {
    const suggestions = suggestLinks(own, [
      author('b1', 'bluesky', '@anna.bsky.social', 'anna de vries'),
      author('x1', 'x', '@anna', null),
      author('r1', 'reddit', 'u/anna', null),
      author('x2', 'x', '@annabel', null),
      author('m2', 'mastodon', '@anna@other.example', null),
    ]);
    expect(suggestions.map((s) => [s.author.id, s.sameDisplayName])).toEqual([
      ['b1', true],
      ['x1', false],
      ['m2', false],
      ['r1', false],
    ]);
    expect(suggestions[0]).toMatchObject({ localName: 'anna', matches: [{ id: 'm1' }] });
  });

  it('leaves out the customer’s own authors and names too short to match', () => {
    const mine = [...own, author('x1', 'x', '@anna'), author('x9', 'x', '@al')];
    expect(suggestLinks(mine, [author('x1', 'x', '@anna'), author('r9', 'reddit', 'u/al')])).toEqual([]);
  });
});
