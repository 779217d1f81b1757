// The parts of Mastodon's entities Paradox reads (see ../shared/contracts/mastodon).
export interface MastodonAccount {
  id: string;
  username: string;
  acct: string;
  display_name: string;
  followers_count: number;
}

export interface MastodonStatus {
  id: string;
  created_at: string;
  in_reply_to_id: string | null;
  visibility: 'public' | 'unlisted' | 'private' | 'direct';
  language: string | null;
  url: string | null;
  content: string;
  account: MastodonAccount;
  reblog: MastodonStatus | null;
}

export interface MastodonNotification {
  id: string;
  type: string;
  created_at: string;
  account: MastodonAccount;
  status?: MastodonStatus;
}
