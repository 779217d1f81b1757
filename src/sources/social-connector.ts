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
  kind: 'acknowledgement' | 'follow_up';
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
  idempotent: boolean;
  // The platform notifies only whom a reply names: the customer's handle goes in front.
  addressesAuthor: boolean;
}

// The reply as a platform that addresses the author posts it; the length rule counts this text.
export function addressedText(text: string, handle: string): string {
  return handle && !text.toLowerCase().includes(handle.toLowerCase()) ? `${handle} ${text}` : text;
}

export abstract class SocialConnector {
  abstract readonly platform: string;
  abstract readonly replyRules: ReplyRules;
  // The brand's own account on the platform: its posts are never ingested as complaints.
  abstract ownAccount(): Promise<OwnAccount>;
  abstract fetchNew(cursor: Record<string, string>): Promise<FetchPage>;
  abstract postReply(reply: ReplyRequest): Promise<PublishedReply>;

  // A platform that streams calls wake() when something may be waiting, so the poller reads it
  // now rather than at the next poll. The posts still come through fetchNew from the stored
  // cursor: the stream only says when. Returns what stops the stream.
  watch(_wake: () => void): () => void {
    return () => undefined;
  }
}
