import { createHmac } from 'node:crypto';

// A caller's system (a survey tool, a site's feedback button) delivering posts to Paradox:
// the body serialised once, signed over `${timestamp}.${body}` with the shared secret, sent as is.
// The signing is written here independently of src/, as a caller would write it.

export interface DeliveryPayload {
  id: string;
  text: string;
  author: { id: string; handle?: string; name?: string };
  url?: string;
  language?: string;
  postedAt?: string;
  inReplyTo?: string;
}

export interface SendOptions {
  // Signed at this unix time instead of now.
  timestamp?: number;
  // Signed with another secret.
  secret?: string;
  // These bytes are sent in place of the body that was signed (a body tampered with on the way).
  sendInstead?: string;
  // The body as raw text, for payloads that are not an object (or not JSON at all).
  raw?: string;
  contentType?: string;
  unsigned?: boolean;
  headers?: Record<string, string>;
}

export interface DeliveryResponse {
  status: number;
  data: any;
  text: string;
  // The signature this request carried, so a test can look for it where it must not be.
  signature: string | null;
}

export const WEBHOOK_SECRET = 'whsec_6f1e0c2b9a8d4e7f3a5c1b0d9e8f7a6b';

export class WebhookClient {
  readonly sent: DeliveryResponse[] = [];

  constructor(
    private readonly appUrl: string,
    readonly sourceId: string,
    private readonly secret = WEBHOOK_SECRET,
    private readonly now: () => Date = () => new Date(),
  ) {}

  static sign(secret: string, timestamp: number | string, body: string): string {
    return `sha256=${createHmac('sha256', secret).update(`${timestamp}.${body}`).digest('hex')}`;
  }

  async send(payload: DeliveryPayload | unknown, options: SendOptions = {}): Promise<DeliveryResponse> {
    const body = options.raw ?? JSON.stringify(payload);
    const timestamp = options.timestamp ?? Math.floor(this.now().getTime() / 1000);
    const signature = options.unsigned ? null : WebhookClient.sign(options.secret ?? this.secret, timestamp, body);
    const headers: Record<string, string> = { 'Content-Type': options.contentType ?? 'application/json', ...options.headers };
    if (signature) Object.assign(headers, { 'X-Paradox-Timestamp': String(timestamp), 'X-Paradox-Signature': signature });
    const response = await fetch(`${this.appUrl}/webhooks/${encodeURIComponent(this.sourceId)}`, { method: 'POST', headers, body: options.sendInstead ?? body });
    const text = await response.text();
    let data: unknown = text;
    try {
      data = JSON.parse(text);
    } catch {
      // Not JSON: kept as text.
    }
    const result = { status: response.status, data, text, signature };
    this.sent.push(result);
    return result;
  }
}

let deliveries = 0;

// A delivery with a fresh id; the rest as given.
export function delivery(text: string, author: DeliveryPayload['author'], extra: Partial<DeliveryPayload> = {}): DeliveryPayload {
  deliveries += 1;
  return { id: `d-${Date.now().toString(36)}-${deliveries}`, text, author, ...extra };
}

// A brand with webhook sources, each reading its secret from the variable T_WEBHOOK_<n>.
export function webhookSources(sources: { id: string; callbackUrl?: string; toleranceSeconds?: number; timeoutMs?: number }[]) {
  return {
    brands: [{ id: 'acme', name: 'Acme', defaultLanguage: 'en', sla: { ackMinutes: 60 }, followUp: { delayMinutes: 4320 } }],
    sources: sources.map((s, i) => ({
      id: s.id,
      brand: 'acme',
      type: 'webhook',
      webhook: {
        secretEnv: `T_WEBHOOK_${i}`,
        ...(s.callbackUrl ? { callbackUrl: s.callbackUrl } : {}),
        ...(s.toleranceSeconds ? { toleranceSeconds: s.toleranceSeconds } : {}),
        timeoutMs: s.timeoutMs ?? 1000,
      },
    })),
    worker: { schedule: false, publishEveryMs: 200 },
  };
}

// The environment those sources read their secrets from: the same secret unless told otherwise.
export function webhookSecrets(count: number, secrets: string[] = []): Record<string, string> {
  return Object.fromEntries(Array.from({ length: count }, (_, i) => [`T_WEBHOOK_${i}`, secrets[i] ?? WEBHOOK_SECRET]));
}
