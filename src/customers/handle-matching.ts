// Suggesting that two authors are one person, from their handles. A suggestion is a hint for an
// agent to check, never a link: anyone can register "anna" anywhere.

// A local name this short matches too many strangers to be worth suggesting.
export const MIN_LOCAL_NAME = 3;

// The part of a handle a person picks, written the same way on every platform:
//   Mastodon @anna@mastodon.social, @anna  -> anna
//   Bluesky  @anna.bsky.social             -> anna (the first label, also of a custom domain)
//   X        @anna                         -> anna
//   Reddit   u/anna, /u/anna               -> anna
//   feeds    Anna de Vries (reviews.test)  -> annadevries
// Letters are folded (é -> e, upper -> lower) and separators dropped, so anna_b, anna-b and
// anna.b meet. Null when nothing usable is left.
export function localName(platform: string, handle: string): string | null {
  let name = handle.trim();
  if (platform === 'rss') name = name.replace(/\s*\([^)]*\)\s*$/, '');
  name = name.replace(/^\/?u\//i, '').replace(/^@/, '');
  if (platform === 'bluesky') {
    if (name.startsWith('did:') || name.endsWith('.invalid')) return null;
    name = name.split('.')[0];
  } else {
    name = name.split('@')[0];
  }
  const folded = name
    .normalize('NFKD')
    .replace(/\p{M}/gu, '')
    .toLowerCase()
    .replace(/[^a-z0-9]/g, '');
  return folded.length >= MIN_LOCAL_NAME ? folded : null;
}

export interface HandleOwner {
  id: string;
  platform: string;
  handle: string;
  displayName: string | null;
}

export interface LinkSuggestion<T extends HandleOwner> {
  author: T;
  localName: string;
  // The customer's own authors whose local name it shares.
  matches: HandleOwner[];
  // Also the same display name: a stronger hint, still no proof.
  sameDisplayName: boolean;
}

const displayKey = (name: string | null) =>
  (name ?? '')
    .normalize('NFKD')
    .replace(/\p{M}/gu, '')
    .toLowerCase()
    .replace(/\s+/g, ' ')
    .trim();

// The candidates whose local name equals one of the customer's authors', the customer's own
// authors left out; the ones with the same display name too come first.
export function suggestLinks<T extends HandleOwner>(own: HandleOwner[], candidates: T[]): LinkSuggestion<T>[] {
  const ownIds = new Set(own.map((a) => a.id));
  const byName = new Map<string, HandleOwner[]>();
  for (const a of own) {
    const name = localName(a.platform, a.handle);
    if (name) byName.set(name, [...(byName.get(name) ?? []), a]);
  }
  const suggestions: LinkSuggestion<T>[] = [];
  for (const author of candidates) {
    if (ownIds.has(author.id)) continue;
    const name = localName(author.platform, author.handle);
    const matches = name ? byName.get(name) : undefined;
    if (!name || !matches) continue;
    const key = displayKey(author.displayName);
    const sameDisplayName = key !== '' && matches.some((m) => displayKey(m.displayName) === key);
    suggestions.push({ author, localName: name, matches, sameDisplayName });
  }
  return suggestions.sort((a, b) => Number(b.sameDisplayName) - Number(a.sameDisplayName) || a.author.handle.localeCompare(b.author.handle));
}
