import { setTimeout as sleep } from 'node:timers/promises';
import { Logger } from '@nestjs/common';
import axios, { type AxiosInstance, type AxiosResponse } from 'axios';
import { createParser } from 'eventsource-parser';
import type { ResolvedSource } from '../../../config/app-config.js';
import { ConnectorError } from '../../connector-error.js';
import { htmlToText } from '../../html-text.js';
import {
  type FetchPage,
  type FetchedPost,
  type OwnAccount,
  type PublishedReply,
  type RateLimitState,
  type ReplyRequest,
  type ReplyRules,
  SocialConnector,
  addressedText,
} from '../../social-connector.js';
import type { MastodonNotification, MastodonStatus } from './mastodon.types.js';

const MENTIONS = 'mentions';
const tagKey = (tag: string) => `tag:${tag.toLowerCase()}`;
const TIMELINE_PAGE_MAX = 40;
const STREAM_PATH = '/api/v1/streaming/user/notification';
// Mastodon's streaming server sends a heartbeat comment every 15 seconds: a stream silent for
// longer has died without closing.
const STREAM_IDLE_MS = 45_000;
const STREAM_RETRY_MS = 1000;
const STREAM_RETRY_MAX_MS = 5 * 60_000;

export class MastodonConnector extends SocialConnector {
  readonly platform = 'mastodon';
  readonly replyRules: ReplyRules = { maxLength: 500, idempotent: true, addressesAuthor: true, manual: false };
  private readonly http: AxiosInstance;
  private rateLimit: RateLimitState | null = null;

  constructor(private readonly source: ResolvedSource) {
    super();
    const settings = source.mastodon!;
    this.http = axios.create({
      baseURL: settings.baseUrl.replace(/\/$/, ''),
      timeout: settings.timeoutMs,
      headers: { Authorization: `Bearer ${source.accessToken}`, Accept: 'application/json' },
      // Bodies are parsed here, so a malformed one is a BAD_RESPONSE rather than a silent string.
      responseType: 'text',
      transformResponse: (data: unknown) => data,
      validateStatus: () => true,
      maxRedirects: 0,
    });
  }

  async ownAccount(): Promise<OwnAccount> {
    const account = await this.request<{ id?: unknown; acct?: unknown }>('GET', '/api/v1/accounts/verify_credentials');
    if (typeof account?.id !== 'string' || typeof account.acct !== 'string') {
      throw new ConnectorError('BAD_RESPONSE', 'verify_credentials has no account id or acct');
    }
    return { externalId: account.id, handle: `@${account.acct}` };
  }

  async fetchNew(cursor: Record<string, string>): Promise<FetchPage> {
    const settings = this.source.mastodon!;
    const next = { ...cursor };
    const posts: FetchedPost[] = [];
    let hasMore = false;

    const mentions = await this.page<MastodonNotification>('/api/v1/notifications', { 'types[]': 'mention' }, cursor[MENTIONS], settings.pageSize);
    for (const n of mentions.items) {
      if (n.type === 'mention' && n.status) posts.push(toPost(n.status, n));
    }
    if (mentions.newest) next[MENTIONS] = mentions.newest;
    hasMore ||= mentions.items.length >= settings.pageSize;
    // Mastodon serves at most 40 statuses per timeline page, whatever the limit asked.
    const timelineLimit = Math.min(settings.pageSize, TIMELINE_PAGE_MAX);

    for (const tag of settings.hashtags) {
      const timeline = await this.page<MastodonStatus>(`/api/v1/timelines/tag/${encodeURIComponent(tag)}`, {}, cursor[tagKey(tag)], timelineLimit);
      for (const status of timeline.items) if (!status.reblog) posts.push(toPost(status, status));
      if (timeline.newest) next[tagKey(tag)] = timeline.newest;
      hasMore ||= timeline.items.length >= timelineLimit;
    }
    // A post can be both a mention and tagged: keep it once.
    const unique = [...new Map(posts.map((p) => [p.externalId, p])).values()];
    return { posts: unique, cursor: next, hasMore, rateLimit: this.rateLimit };
  }

  // The user's notification stream (server-sent events): every notification wakes the poller,
  // and so does every (re)connection, which reads what came in while the stream was down.
  // A dropped stream reconnects with back-off; polling goes on regardless.
  watch(wake: () => void): () => void {
    const settings = this.source.mastodon!;
    if (!settings.streaming) return () => undefined;
    const stop = new AbortController();
    const logger = new Logger(`MastodonStream ${this.source.id}`);
    const url = `${(settings.streamingUrl ?? settings.baseUrl).replace(/\/$/, '')}${STREAM_PATH}`;
    const follow = async () => {
      for (let failures = 0; !stop.signal.aborted; ) {
        const idle = new AbortController();
        let idleTimer = setTimeout(() => idle.abort(), STREAM_IDLE_MS);
        try {
          const response = await fetch(url, {
            headers: { Authorization: `Bearer ${this.source.accessToken}`, Accept: 'text/event-stream' },
            signal: AbortSignal.any([stop.signal, idle.signal]),
          });
          if (!response.ok || !response.body) throw new Error(`HTTP ${response.status}`);
          failures = 0;
          wake();
          const parser = createParser({ onEvent: (event) => event.event === 'notification' && wake() });
          const decoder = new TextDecoder();
          for await (const chunk of response.body) {
            clearTimeout(idleTimer);
            idleTimer = setTimeout(() => idle.abort(), STREAM_IDLE_MS);
            parser.feed(decoder.decode(chunk, { stream: true }));
          }
          throw new Error('the stream ended');
        } catch (error) {
          if (stop.signal.aborted) return;
          failures++;
          const waitMs = Math.min(STREAM_RETRY_MS * 2 ** (failures - 1), STREAM_RETRY_MAX_MS);
          logger.warn(`notification stream lost (${(error as Error).message}); reconnecting in ${waitMs} ms`);
          await sleep(waitMs, undefined, { signal: stop.signal }).catch(() => undefined);
        } finally {
          clearTimeout(idleTimer);
        }
      }
    };
    void follow();
    return () => stop.abort();
  }

  // The status's ancestors and descendants (GET /api/v1/statuses/:id/context), with the status.
  async fetchThread(externalId: string): Promise<FetchedPost[]> {
    const id = encodeURIComponent(externalId);
    const status = await this.request<MastodonStatus>('GET', `/api/v1/statuses/${id}`);
    const context = await this.request<{ ancestors?: MastodonStatus[]; descendants?: MastodonStatus[] }>('GET', `/api/v1/statuses/${id}/context`);
    if (!Array.isArray(context?.ancestors) || !Array.isArray(context.descendants)) {
      throw new ConnectorError('BAD_RESPONSE', `the context of ${externalId} has no ancestors or descendants`);
    }
    return [...context.ancestors, status, ...context.descendants].map((s) => toPost(s, s));
  }

  async postReply(reply: ReplyRequest): Promise<PublishedReply> {
    const text = addressedText(reply.text, reply.inReplyTo.authorHandle);
    const status = await this.request<MastodonStatus>(
      'POST',
      '/api/v1/statuses',
      undefined,
      { status: text, in_reply_to_id: reply.inReplyTo.externalId, visibility: reply.visibility, language: reply.language ?? undefined },
      { 'Idempotency-Key': reply.idempotencyKey },
    );
    if (typeof status?.id !== 'string') throw new ConnectorError('BAD_RESPONSE', 'the created status has no id');
    return { externalId: status.id, url: status.url ?? null };
  }

  // One page of a newest-first feed. With a cursor, min_id asks for the page just after it,
  // so walking forward never skips a post; without one, the newest page starts the cursor.
  private async page<T extends { id: string }>(path: string, params: Record<string, string>, minId: string | undefined, limit: number) {
    const query: Record<string, string> = { ...params, limit: String(limit) };
    if (minId) query.min_id = minId;
    const items = await this.request<T[]>('GET', path, query);
    if (!Array.isArray(items) || items.some((i) => typeof i?.id !== 'string')) {
      throw new ConnectorError('BAD_RESPONSE', `${path} did not answer a list of items with ids`);
    }
    return { items, newest: items[0]?.id };
  }

  private async request<T>(
    method: 'GET' | 'POST',
    path: string,
    params?: Record<string, string>,
    body?: unknown,
    headers: Record<string, string> = {},
  ): Promise<T> {
    let response: AxiosResponse<string>;
    try {
      response = await this.http.request({ method, url: path, params, data: body, headers });
    } catch (error) {
      throw new ConnectorError('TEMPORARY', `${method} ${path}: ${(error as Error).message}`);
    }
    this.rateLimit = readRateLimit(response.headers);
    const status = response.status;
    if (status === 429) {
      throw new ConnectorError('RATE_LIMITED', `${method} ${path}: HTTP 429`, this.rateLimit.resetAt ?? new Date(Date.now() + 60_000));
    }
    if (status === 401 || status === 403) throw new ConnectorError('AUTH_EXPIRED', `${method} ${path}: HTTP ${status}`);
    if (status >= 500 || status === 408) throw new ConnectorError('TEMPORARY', `${method} ${path}: HTTP ${status}`);
    if (status >= 300) throw new ConnectorError('BAD_RESPONSE', `${method} ${path}: HTTP ${status}`);
    try {
      return JSON.parse(response.data) as T;
    } catch {
      throw new ConnectorError('BAD_RESPONSE', `${method} ${path}: the body is not JSON`);
    }
  }
}

function readRateLimit(headers: AxiosResponse['headers']): RateLimitState {
  const remaining = Number(headers['x-ratelimit-remaining']);
  // Mastodon's reset is an ISO date (X and Bluesky send epoch seconds).
  const reset = headers['x-ratelimit-reset'] ? new Date(String(headers['x-ratelimit-reset'])) : null;
  return {
    remaining: Number.isFinite(remaining) && headers['x-ratelimit-remaining'] !== undefined ? remaining : null,
    resetAt: reset && !Number.isNaN(reset.getTime()) ? reset : null,
  };
}

// A status as Paradox stores it; raw is the payload it arrived in (a notification or the status).
export function toPost(status: MastodonStatus, raw: unknown): FetchedPost {
  if (typeof status.created_at !== 'string' || typeof status.account?.id !== 'string' || typeof status.account.acct !== 'string') {
    throw new ConnectorError('BAD_RESPONSE', `status ${status.id} lacks its author or time`);
  }
  return {
    externalId: status.id,
    url: status.url,
    text: htmlToText(status.content ?? ''),
    language: status.language,
    visibility: status.visibility,
    postedAt: new Date(status.created_at),
    inReplyToExternalId: status.in_reply_to_id,
    author: {
      externalId: status.account.id,
      handle: `@${status.account.acct}`,
      displayName: status.account.display_name || null,
      followers: status.account.followers_count ?? null,
    },
    raw,
  };
}
