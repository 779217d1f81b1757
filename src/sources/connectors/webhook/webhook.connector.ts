import axios, { type AxiosInstance, type AxiosResponse } from 'axios';
import type { Clock } from '../../../common/clock.js';
import type { ResolvedSource } from '../../../config/app-config.js';
import { ConnectorError } from '../../connector-error.js';
import { type FetchPage, type FetchedPost, type OwnAccount, type PublishedReply, type ReplyRequest, type ReplyRules, SocialConnector } from '../../social-connector.js';
import { signatureHeaders } from './webhook-signature.js';

// Ids the callers choose are only unique per source, while post, author and thread_link are
// unique per platform: every id is stored as `<source id>:<the caller's id>`.
export const storedId = (sourceId: string, callerId: string) => `${sourceId}:${callerId}`;
export const callerId = (sourceId: string, stored: string) => (stored.startsWith(`${sourceId}:`) ? stored.slice(sourceId.length + 1) : stored);

// What a caller's callback receives for each reply.
export interface CallbackReply {
  idempotencyKey: string;
  kind: ReplyRequest['kind'];
  // The caller's id of the delivery answered.
  inReplyTo: string;
  text: string;
  language: string | null;
  createdAt: string;
}

const MAX_CALLBACK_ID = 200;
const DEFAULT_RETRY_AFTER_MS = 60_000;

// A source that is called rather than polled: signed deliveries come in at POST /webhooks/:sourceId
// (WebhooksService), and replies go out to the caller's callback URL, signed the same way, or,
// without one, are posted by hand and recorded.
export class WebhookConnector extends SocialConnector {
  readonly platform = 'webhook';
  readonly replyRules: ReplyRules;
  readonly polls = false;
  private readonly http: AxiosInstance | null;

  constructor(
    private readonly source: ResolvedSource,
    private readonly clock: Clock,
  ) {
    super();
    const settings = source.webhook!;
    this.replyRules = { maxLength: 5000, idempotent: true, addressesAuthor: false, manual: !settings.callbackUrl };
    this.http = settings.callbackUrl
      ? axios.create({
          timeout: settings.timeoutMs,
          // The body is signed as bytes: it goes out exactly as serialised here.
          transformRequest: (data: unknown) => data,
          responseType: 'text',
          transformResponse: (data: unknown) => data,
          validateStatus: () => true,
          maxRedirects: 0,
        })
      : null;
  }

  // The brand has no account here. The id cannot be one a delivery maps to (those hold a colon).
  async ownAccount(): Promise<OwnAccount> {
    return { externalId: this.source.id, handle: '' };
  }

  // Nothing to fetch: deliveries are ingested as they arrive.
  async fetchNew(cursor: Record<string, string>): Promise<FetchPage> {
    return { posts: [], cursor, hasMore: false, rateLimit: null };
  }

  // The conversation lives in the caller's system, which Paradox cannot read.
  async fetchThread(): Promise<FetchedPost[]> {
    return [];
  }

  // POSTs the reply to the callback with the reply's Idempotency-Key: the caller answers a repeated
  // key with the reply it already made, so a retry after a lost answer never sends twice.
  async postReply(reply: ReplyRequest): Promise<PublishedReply> {
    const url = this.source.webhook!.callbackUrl;
    if (!this.http || !url) {
      throw new Error(`source ${this.source.id} has no callbackUrl: its replies are posted by hand and recorded with POST /replies/:id/record`);
    }
    const payload: CallbackReply = {
      idempotencyKey: reply.idempotencyKey,
      kind: reply.kind,
      inReplyTo: callerId(this.source.id, reply.inReplyTo.externalId),
      text: reply.text,
      language: reply.language,
      createdAt: reply.createdAt.toISOString(),
    };
    const body = JSON.stringify(payload);
    let response: AxiosResponse<string>;
    try {
      response = await this.http.post(url, body, {
        headers: {
          'Content-Type': 'application/json',
          Accept: 'application/json',
          'Idempotency-Key': reply.idempotencyKey,
          ...signatureHeaders(this.source.secrets.secret ?? '', body, this.clock.now()),
        },
      });
    } catch (error) {
      // A timeout or a dropped connection: the caller may have made the reply; the retry's key tells.
      throw new ConnectorError('TEMPORARY', `POST callback: ${(error as Error).message}`);
    }
    const status = response.status;
    if (status === 429) throw new ConnectorError('RATE_LIMITED', 'POST callback: HTTP 429', retryAfter(response.headers['retry-after'], this.clock.now()));
    if (status === 401 || status === 403) throw new ConnectorError('AUTH_EXPIRED', `POST callback: HTTP ${status}; the caller refuses the signature`);
    if (status >= 500 || status === 408) throw new ConnectorError('TEMPORARY', `POST callback: HTTP ${status}`);
    if (status < 200 || status >= 300) throw new ConnectorError('BAD_RESPONSE', `POST callback: HTTP ${status}`);
    const made = parseReceipt(response.data);
    if (!made) throw new ConnectorError('BAD_RESPONSE', 'POST callback: the answer is not JSON with the id of the reply made');
    return { externalId: storedId(this.source.id, made.id), url: made.url };
  }
}

// `{ id, url? }`: the id is what a later delivery names in inReplyTo; the url shows on the case.
function parseReceipt(text: string): { id: string; url: string | null } | null {
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    return null;
  }
  const { id, url } = (body ?? {}) as { id?: unknown; url?: unknown };
  const made = typeof id === 'number' && Number.isSafeInteger(id) ? String(id) : id;
  if (typeof made !== 'string' || !made || made.length > MAX_CALLBACK_ID) return null;
  // Agents click the link: only web addresses, never javascript: or data:.
  return { id: made, url: typeof url === 'string' && /^https?:\/\//i.test(url) ? url : null };
}

// Retry-After is seconds or an HTTP date.
function retryAfter(header: unknown, now: Date): Date {
  const value = typeof header === 'string' ? header.trim() : '';
  const seconds = Number(value);
  if (value && Number.isFinite(seconds) && seconds >= 0) return new Date(now.getTime() + seconds * 1000);
  const at = new Date(value);
  return value && !Number.isNaN(at.getTime()) ? at : new Date(now.getTime() + DEFAULT_RETRY_AFTER_MS);
}
