import { createHmac, randomBytes } from 'node:crypto';
import http, { type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import axios from 'axios';

export interface HubSubscription {
  topic: string;
  callback: string;
  secret: string | null;
  leaseSeconds: number;
  verified: boolean;
}

export interface SubscriptionRequest {
  mode: string;
  topic: string;
  callback: string;
  secret: string | null;
  leaseSeconds: number | null;
}

export interface Delivery {
  callback: string;
  status: number;
  body: string;
}

// A WebSub hub on loopback, as the W3C Recommendation describes one (and as Google's and
// Superfeedr's hubs behave): a subscription request is answered 202 and then verified by a GET to
// the callback with a challenge that must come back; a publish is pushed to every verified
// subscriber of the topic with the Link headers and X-Hub-Signature over the body.
export class WebSubHub {
  readonly requests: SubscriptionRequest[] = [];
  readonly subscriptions = new Map<string, HubSubscription>();
  // Denies the next subscription requests (with this reason) instead of verifying them.
  denyWith: string | null = null;
  // Grants a lease of its own rather than the one asked for.
  grantSeconds: number | null = null;
  // Answers subscription requests with this status instead of 202.
  failWith: number | null = null;
  private readonly waiters: { topic: string; done: () => void }[] = [];
  private readonly verifying = new Set<Promise<void>>();

  private constructor(
    private readonly server: http.Server,
    readonly url: string,
  ) {}

  static async start(): Promise<WebSubHub> {
    const server = http.createServer();
    await new Promise<void>((done, fail) => {
      server.once('error', fail);
      server.listen(0, '127.0.0.1', done);
    });
    const hub = new WebSubHub(server, `http://127.0.0.1:${(server.address() as AddressInfo).port}/`);
    server.on('request', (req: IncomingMessage, res: ServerResponse) => void hub.handle(req, res));
    return hub;
  }

  async stop(): Promise<void> {
    await Promise.allSettled([...this.verifying]);
    this.server.closeAllConnections();
    await new Promise<void>((done) => this.server.close(() => done()));
  }

  // Resolves once a subscriber has confirmed a subscription to the topic.
  verified(topic: string): Promise<void> {
    if ([...this.subscriptions.values()].some((s) => s.topic === topic && s.verified)) return Promise.resolve();
    return new Promise((done) => this.waiters.push({ topic, done }));
  }

  // Verification requests still on their way.
  async settled(): Promise<void> {
    await Promise.allSettled([...this.verifying]);
  }

  // Pushes the document to the topic's verified subscribers, signed with each one's secret (or,
  // for a test of refusals, with another secret or none).
  async publish(topic: string, body: string, contentType: string, opts: { signWith?: string | null; method?: 'sha1' | 'sha256' | 'sha512' } = {}): Promise<Delivery[]> {
    const deliveries: Delivery[] = [];
    for (const sub of this.subscriptions.values()) {
      if (sub.topic !== topic || !sub.verified) continue;
      const secret = opts.signWith === undefined ? sub.secret : opts.signWith;
      const headers: Record<string, string> = { 'Content-Type': contentType, Link: `<${this.url}>; rel="hub", <${topic}>; rel="self"` };
      if (secret) headers['X-Hub-Signature'] = `${opts.method ?? 'sha256'}=${createHmac(opts.method ?? 'sha256', secret).update(body).digest('hex')}`;
      const response = await axios.post(sub.callback, body, { headers, validateStatus: () => true, responseType: 'text', transformResponse: (x) => x });
      deliveries.push({ callback: sub.callback, status: response.status, body: response.data });
    }
    return deliveries;
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const form = new URLSearchParams(Buffer.concat(chunks).toString('utf8'));
    const mode = form.get('hub.mode') ?? '';
    const topic = form.get('hub.topic') ?? '';
    const callback = form.get('hub.callback') ?? '';
    if (req.method !== 'POST' || !/^application\/x-www-form-urlencoded/.test(req.headers['content-type'] ?? '') || !['subscribe', 'unsubscribe'].includes(mode) || !topic || !callback) {
      res.writeHead(400, { 'Content-Type': 'text/plain' }).end('hub.mode, hub.topic and hub.callback are required, form-encoded');
      return;
    }
    const secret = form.get('hub.secret');
    if (secret && Buffer.byteLength(secret) >= 200) {
      res.writeHead(400, { 'Content-Type': 'text/plain' }).end('hub.secret must be less than 200 bytes');
      return;
    }
    const lease = form.get('hub.lease_seconds');
    const request: SubscriptionRequest = { mode, topic, callback, secret, leaseSeconds: lease ? Number(lease) : null };
    this.requests.push(request);
    if (this.failWith) {
      res.writeHead(this.failWith, { 'Content-Type': 'text/plain' }).end('unavailable');
      return;
    }
    res.writeHead(202).end();
    // Verified after the answer, as the Recommendation has it (5.3).
    const verifying = this.verify(request).finally(() => this.verifying.delete(verifying));
    this.verifying.add(verifying);
  }

  private async verify(request: SubscriptionRequest): Promise<void> {
    const url = new URL(request.callback);
    if (this.denyWith !== null) {
      url.search = new URLSearchParams({ 'hub.mode': 'denied', 'hub.topic': request.topic, 'hub.reason': this.denyWith }).toString();
      await axios.get(url.href, { validateStatus: () => true });
      return;
    }
    const challenge = randomBytes(16).toString('hex');
    const leaseSeconds = this.grantSeconds ?? request.leaseSeconds ?? 86400;
    url.search = new URLSearchParams({ 'hub.mode': request.mode, 'hub.topic': request.topic, 'hub.challenge': challenge, 'hub.lease_seconds': String(leaseSeconds) }).toString();
    const answer = await axios.get(url.href, { validateStatus: () => true, responseType: 'text', transformResponse: (x) => x });
    const confirmed = answer.status >= 200 && answer.status < 300 && answer.data === challenge;
    const key = `${request.topic} ${request.callback}`;
    if (request.mode === 'unsubscribe') {
      if (confirmed) this.subscriptions.delete(key);
      return;
    }
    if (!confirmed) return;
    // A new request replaces the secret and lease of the one before (5.1).
    this.subscriptions.set(key, { topic: request.topic, callback: request.callback, secret: request.secret, leaseSeconds, verified: true });
    for (const waiter of this.waiters.filter((w) => w.topic === request.topic)) {
      this.waiters.splice(this.waiters.indexOf(waiter), 1);
      waiter.done();
    }
  }
}
