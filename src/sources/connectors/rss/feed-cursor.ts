import { createHash } from 'node:crypto';
import type { FetchedPost } from '../../social-connector.js';

// A feed is a window of its latest entries with no "since" to ask for: an entry in the document
// the last poll stored need not be handed over again. The set is bounded so a huge feed cannot
// swell the cursor; an entry beyond the bound is handed over again and dropped by the store as a
// repeat, never skipped.
export const MAX_SEEN = 1000;

// 16 characters (96 bits) of the id's hash: the cursor stays small whatever the ids look like.
export function seenKey(externalId: string): string {
  return createHash('sha256').update(externalId).digest('base64url').slice(0, 16);
}

// The entries of this document that the last stored one did not hold.
export function unseenPosts(posts: FetchedPost[], seen: string | undefined): FetchedPost[] {
  const known = new Set(seen ? seen.split(' ') : []);
  return posts.filter((p) => !known.has(seenKey(p.externalId)));
}

// What the next poll knows: the entries of this document, in its order (newest first in most feeds).
export function seenAfter(posts: FetchedPost[]): string {
  return posts
    .slice(0, MAX_SEEN)
    .map((p) => seenKey(p.externalId))
    .join(' ');
}
