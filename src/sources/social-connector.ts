// The port every platform implements. Vendor types stay inside the platform's folder;
// what crosses this line is plain Paradox data.

export type Visibility = 'public' | 'unlisted' | 'private' | 'direct';

export interface FetchedAuthor {
  externalId: string;
  handle: string;
  displayName: string | null;
  followers: number | null;
}

export interface FetchedPost {
  externalId: string;
  url: string | null;
  text: string;
  language: string | null;
  visibility: Visibility;
  postedAt: Date;
  inReplyToExternalId: string | null;
  // The thread's first post where the platform names it (Reddit's link_id): a reply to a comment
  // Paradox never stored still lands on its post's thread. Without it the root is found through
  // the parents the store holds.
  rootExternalId?: string | null;
  author: FetchedAuthor;
  raw: unknown;
}

export interface FetchPage {
  posts: FetchedPost[];
  // The cursor to store once these posts are safely recorded.
  cursor: Record<string, string>;
  // More pages wait behind this one: poll again at once.
  hasMore: boolean;
  rateLimit: RateLimitState | null;
}

export interface RateLimitState {
  remaining: number | null;
  resetAt: Date | null;
}

export interface ReplyRequest {
  // What the reply does for the case; platforms post every kind the same way.
  kind: 'acknowledgement' | 'apology' | 'question' | 'resolution' | 'follow_up';
  // 1 for the first attempt. A later attempt may follow one whose outcome is unknown (a timeout,
  // a crash after posting): a platform without idempotency keys looks for that reply first.
  attempt: number;
  text: string;
  inReplyTo: { externalId: string; authorHandle: string };
  visibility: Visibility;
  language: string | null;
  // The same key for every attempt of one reply: the platform (or we) recognise a repeat by it.
  idempotencyKey: string;
  // When the reply was written: fixed across attempts, like the key.
  createdAt: Date;
}

export interface PublishedReply {
  externalId: string;
  url: string | null;
}

export interface OwnAccount {
  externalId: string;
  handle: string;
}

export interface ReplyRules {
  maxLength: number;
  // The platform recognises a repeated reply by its idempotency key (or record key); without it
  // the connector looks for an earlier attempt's reply before posting again.
  idempotent: boolean;
  // The platform notifies only whom a reply names: the customer's handle goes in front.
  addressesAuthor: boolean;
  // Paradox cannot post here (a feed, a form): the agent answers where the post lives and
  // records the reply by hand.
  manual: boolean;
  // How the platform measures a reply against maxLength, where it is not in code points (X
  // weighs CJK and emoji double and a link as 23).
  length?: (text: string) => number;
}

// The reply as a platform that addresses the author posts it; the length rule counts this text.
export function addressedText(text: string, handle: string): string {
  return handle && !text.toLowerCase().includes(handle.toLowerCase()) ? `${handle} ${text}` : text;
}

export abstract class SocialConnector {
  abstract readonly platform: string;
  abstract readonly replyRules: ReplyRules;
  // False for a source that is called rather than polled (a signed webhook): the poller skips it.
  readonly polls: boolean = true;
  // The brand's own account on the platform: its posts are never ingested as complaints.
  abstract ownAccount(): Promise<OwnAccount>;
  // Posts since the cursor: mentions of the brand account, and keyword searches where the
  // platform has them. The cursor returned is stored with the page, in one transaction.
  abstract fetchNew(cursor: Record<string, string>): Promise<FetchPage>;
  // The conversation around a post as the platform shows it, oldest first: its ancestors, the
  // post itself and the replies below it. Nothing is stored; the agent reads it on the case.
  abstract fetchThread(externalId: string): Promise<FetchedPost[]>;
  // Posts the reply threaded under inReplyTo. Never posts twice for one idempotency key.
  abstract postReply(reply: ReplyRequest): Promise<PublishedReply>;

  // A platform that streams calls wake() when something may be waiting, so the poller reads it
  // now rather than at the next poll. The posts still come through fetchNew: read from the stored
  // cursor, or handed over by the stream in a page that leaves the cursor where it is, so the
  // next read from the cursor finds whatever the stream missed. Returns what stops the stream.
  watch(_wake: () => void): () => void {
    return () => undefined;
  }
}
