// The parts of X API v2 bodies Paradox reads (see ../shared/contracts/x: the OpenAPI document
// x-api-v2.openapi.v2.159.json and the recorded cassettes).

export interface XUser {
  id: string;
  username: string;
  name: string;
  public_metrics?: { followers_count?: number };
}

export interface XReferencedTweet {
  type: 'retweeted' | 'quoted' | 'replied_to';
  id: string;
}

export interface XTweet {
  id: string;
  // X escapes &, < and > in a post's text.
  text: string;
  author_id?: string;
  conversation_id?: string;
  created_at?: string;
  lang?: string;
  referenced_tweets?: XReferencedTweet[];
}

// An RFC 7807 problem, as X reports errors: in a 4xx/5xx body, and beside `data` in a 200 when
// part of the answer is missing (a deleted post among the expansions).
export interface XProblem {
  type?: string;
  title?: string;
  detail?: string;
  status?: number;
}

export interface XIncludes {
  users?: XUser[];
  tweets?: XTweet[];
}

export interface XListMeta {
  result_count?: number;
  newest_id?: string;
  oldest_id?: string;
  next_token?: string;
}

// A timeline or search page: no `data` at all when nothing matched, `meta` always.
export interface XListResponse {
  data?: XTweet[];
  includes?: XIncludes;
  meta?: XListMeta;
  errors?: XProblem[];
}

export interface XSingleResponse<T> {
  data?: T;
  includes?: XIncludes;
  errors?: XProblem[];
}

// POST /2/oauth2/token. X rotates the refresh token: every answer carries a new one.
export interface XTokenResponse {
  token_type?: string;
  access_token?: string;
  refresh_token?: string;
  expires_in?: number;
  scope?: string;
  error?: string;
  error_description?: string;
}

// A filtered-stream rule: a query in X's rule syntax, and a tag of the app's choosing.
export interface XRule {
  id: string;
  value: string;
  tag?: string;
}

// GET /2/tweets/search/stream/rules: no `data` when the app has no rules.
export interface XRulesResponse {
  data?: XRule[];
  meta?: { sent?: string; result_count?: number; next_token?: string };
  errors?: XProblem[];
}

// A rule X would not take (invalid-rules), or took already under another id (duplicate-rules).
export interface XRuleProblem extends XProblem {
  value?: string;
  id?: string;
  details?: string[];
}

// POST /2/tweets/search/stream/rules: the rules created, and a problem per rule not created.
export interface XRulesUpdateResponse {
  data?: XRule[];
  meta?: { sent?: string; summary?: { created?: number; not_created?: number; valid?: number; invalid?: number; deleted?: number; not_deleted?: number } };
  errors?: XRuleProblem[];
}

// One line of the filtered stream: a post with what was asked of it and the rules it matched, or
// problems alone (an operational disconnect, just before X closes the connection).
export interface XStreamMessage {
  data?: XTweet;
  includes?: XIncludes;
  matching_rules?: { id: string; tag?: string }[];
  errors?: XProblem[];
}
