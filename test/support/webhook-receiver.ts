import { createHmac, timingSafeEqual } from 'node:crypto';
import http, { type IncomingHttpHeaders, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

// The caller's callback endpoint, as a caller's system would run it: it checks Paradox's signature,
// makes each reply once per Idempotency-Key (a repeat gets the same reply id back) and answers
// { id, url }. Faults are injected on the next requests.

export type ReceiverFault =
  | '500'
  // Never answers.
  | 'timeout'
  | '429'
  | '401'
  // Makes the reply, then drops the connection before answering: the sender cannot know it worked.
  | 'drop'
  // 200 with a body that names no reply.
  | 'no-id';

export interface CallbackBody {
  idempotencyKey: string;
  kind: 'acknowledgement' | 'follow_up';
  inReplyTo: string;
  text: string;
  language: string | null;
  createdAt: string;
}

export interface ReceivedRequest {
  method: string;
  path: string;
  headers: IncomingHttpHeaders;
  raw: string;
  body: CallbackBody | null;
  // Why the signature was refused; null when it held.
  refused: string | null;
  status: number | null;
}

export interface MadeReply {
  id: string;
  idempotencyKey: string;
  body: CallbackBody;
}

export const CALLBACK_PATH = '/paradox/replies';

export class WebhookReceiver {
  readonly requests: ReceivedRequest[] = [];
  readonly replies: MadeReply[] = [];
  private readonly byKey = new Map<string, MadeReply>();
  private readonly faults: { fault: ReceiverFault; retryAfter: string }[] = [];
  private readonly hanging = new Set<ServerResponse>();

  private constructor(
    private readonly server: http.Server,
    private readonly secret: string,
    private readonly toleranceSeconds: number,
    private readonly now: () => Date,
  ) {}

  static async start(options: { secret: string; toleranceSeconds?: number; now?: () => Date }): Promise<WebhookReceiver> {
    const server = http.createServer();
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(0, '127.0.0.1', resolve);
    });
    const receiver = new WebhookReceiver(server, options.secret, options.toleranceSeconds ?? 300, options.now ?? (() => new Date()));
    server.on('request', (req, res) => receiver.handle(req, res).catch((error) => res.writeHead(500).end(String(error?.stack ?? error))));
    return receiver;
  }

  get url(): string {
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}${CALLBACK_PATH}`;
  }

  failNext(fault: ReceiverFault, options: { count?: number; retryAfter?: string } = {}): void {
    for (let i = 0; i < (options.count ?? 1); i++) this.faults.push({ fault, retryAfter: options.retryAfter ?? '30' });
  }

  repliesTo(deliveryId: string): MadeReply[] {
    return this.replies.filter((r) => r.body.inReplyTo === deliveryId);
  }

  async stop(): Promise<void> {
    for (const res of this.hanging) res.destroy();
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const raw = Buffer.concat(chunks).toString('utf8');
    const record: ReceivedRequest = { method: req.method ?? '', path: req.url ?? '', headers: req.headers, raw, body: null, refused: null, status: null };
    this.requests.push(record);
    const send = (status: number, body: unknown, headers: Record<string, string> = {}) => {
      record.status = status;
      res.writeHead(status, { 'Content-Type': 'application/json', ...headers }).end(JSON.stringify(body));
    };
    if (req.method !== 'POST' || req.url !== CALLBACK_PATH) return send(404, { error: 'not found' });
    record.refused = this.refusal(req.headers, raw);
    if (record.refused) return send(401, { error: record.refused });
    const key = req.headers['idempotency-key'];
    if (typeof key !== 'string' || !key) return send(400, { error: 'Idempotency-Key is required' });
    try {
      record.body = JSON.parse(raw) as CallbackBody;
    } catch {
      return send(400, { error: 'the body is not JSON' });
    }

    const fault = this.faults.shift();
    if (fault?.fault === 'timeout') {
      this.hanging.add(res);
      return;
    }
    if (fault?.fault === '500') return send(500, { error: 'internal error' });
    if (fault?.fault === '429') return send(429, { error: 'slow down' }, { 'Retry-After': fault.retryAfter });
    if (fault?.fault === '401') return send(401, { error: 'unknown signer' });
    if (fault?.fault === 'no-id') return send(200, { ok: true });

    const known = this.byKey.get(key);
    const reply = known ?? { id: `reply-${this.replies.length + 1}`, idempotencyKey: key, body: record.body };
    if (!known) {
      this.byKey.set(key, reply);
      this.replies.push(reply);
    }
    if (fault?.fault === 'drop') {
      record.status = 0;
      res.destroy();
      return;
    }
    send(known ? 200 : 201, { id: reply.id, url: `https://support.example/replies/${reply.id}` });
  }

  // Why a request's signature does not hold, or null: the same check a caller's system makes.
  private refusal(headers: IncomingHttpHeaders, raw: string): string | null {
    const timestamp = headers['x-paradox-timestamp'];
    const signature = headers['x-paradox-signature'];
    if (typeof timestamp !== 'string' || typeof signature !== 'string' || !signature.startsWith('sha256=')) return 'unsigned';
    const expected = createHmac('sha256', this.secret).update(`${timestamp}.${raw}`).digest();
    const presented = Buffer.from(signature.slice('sha256='.length), 'hex');
    if (presented.length !== expected.length || !timingSafeEqual(presented, expected)) return 'bad signature';
    if (Math.abs(this.now().getTime() / 1000 - Number(timestamp)) > this.toleranceSeconds) return 'stale';
    return null;
  }
}
