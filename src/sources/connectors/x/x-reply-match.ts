import { decodeXText } from './x-text.js';
import type { XTweet } from './x.types.js';

// A reply's text as it can be compared with what X shows of it: X puts the handles of the thread
// in front of a reply, escapes &, < and >, and turns links into t.co links.
export function normaliseReplyText(text: string): string {
  return decodeXText(text)
    .normalize('NFC')
    .replace(/^(?:@\w{1,15}\s+)+/, '')
    .replace(/https?:\/\/\S+/g, '<link>')
    .replace(/\s+/g, ' ')
    .trim();
}

// X has no idempotency key. Before posting a reply again, Paradox looks for an earlier attempt
// among the brand's recent posts: one that answers the same post with the same text. X refuses
// the same text twice on one account anyway, so two such replies cannot both be meant.
export function findEarlierReply(tweets: XTweet[], inReplyTo: string, text: string): XTweet | undefined {
  const wanted = normaliseReplyText(text);
  return tweets.find(
    (t) => t.referenced_tweets?.some((r) => r.type === 'replied_to' && r.id === inReplyTo) && normaliseReplyText(t.text) === wanted,
  );
}
