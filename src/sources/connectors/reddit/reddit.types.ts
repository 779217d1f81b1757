// The parts of Reddit's answers Paradox reads (see ../shared/contracts/reddit/cassettes-decoded).
// Things are typed by kind: t1 a comment, t2 an account, t3 a link (a post), t4 a message.

export interface RedditThing<D = RedditThingData> {
  kind: string;
  data: D;
}

export interface RedditThingData {
  // The fullname: the kind and the base-36 id, t3_hozvuc.
  name: string;
  id: string;
  author: string;
  // Absent when the account is deleted.
  author_fullname?: string;
  created_utc: number;
  subreddit: string | null;
}

export interface RedditLink extends RedditThingData {
  title: string;
  selftext: string;
  permalink: string;
}

export interface RedditComment extends RedditThingData {
  body: string;
  parent_id: string;
  link_id: string;
  permalink: string;
  // "" when the comment has no replies, else a Listing of them (in /comments/:article).
  replies?: RedditListing | '';
}

// An inbox item: a comment reply, a post reply or a username mention (kind t1, was_comment), or
// a private message (kind t4). It names its thread through `context`, not link_id.
export interface RedditMessage extends RedditThingData {
  body: string;
  parent_id: string | null;
  context: string;
  was_comment: boolean;
  type: string;
}

export interface RedditListing<D = RedditThingData> {
  kind: 'Listing';
  data: {
    // Fullnames to page with: older items after `after`, newer before `before`.
    after: string | null;
    before: string | null;
    children: RedditThing<D>[];
  };
}

export interface RedditAccount {
  id: string;
  name: string;
}

export interface RedditToken {
  access_token?: string;
  token_type?: string;
  expires_in?: number;
  scope?: string;
  // A refused password grant answers 200 with { "error": "invalid_grant" }.
  error?: string;
}

// POST /api/comment with api_type=json.
export interface RedditCommentAnswer {
  json?: {
    // [code, message, field]: ["RATELIMIT", "you are doing that too much. try again in 9 minutes.", "ratelimit"]
    errors?: [string, string, string?][];
    // Seconds until the account may comment again, beside a RATELIMIT error.
    ratelimit?: number;
    data?: { things?: RedditThing<RedditComment>[] };
  };
}
