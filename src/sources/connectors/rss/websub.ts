import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';

// WebSub (W3C Recommendation, 2018): a feed names its hub, Paradox subscribes to the hub with a
// callback URL, and the hub sends each change of the feed to the callback, signed with a secret
// only the two of them know. The rules of the protocol live here; the state in FeedSubscription.

// Where a feed can be had pushed: the hub to ask, and the topic (the feed's canonical URL).
export interface HubLink {
  hub: string;
  topic: string;
}

// Links as the document names them: Atom <link>, <atom:link> in RSS, JSON Feed's hubs and feed_url.
export interface DocumentLinks {
  hubs: string[];
  self: string | undefined;
}

// The signature algorithms WebSub names (section 8), as X-Hub-Signature: method=hex.
const METHODS: Record<string, number> = { sha1: 20, sha256: 32, sha384: 48, sha512: 64 };

// RFC 8288 Link header values: `<url>; rel="hub", <url>; rel="self"` (rel may hold several words).
export function linkHeader(value: string | undefined): { url: string; rels: string[] }[] {
  if (!value) return [];
  const links: { url: string; rels: string[] }[] = [];
  for (const match of value.matchAll(/<([^>]*)>((?:\s*;\s*[^;,]+(?:=(?:"[^"]*"|[^;,]*))?)*)/g)) {
    const rel = /;\s*rel\s*=\s*(?:"([^"]*)"|([^;,\s]+))/i.exec(match[2]);
    if (rel) links.push({ url: match[1].trim(), rels: (rel[1] ?? rel[2]).toLowerCase().split(/\s+/) });
  }
  return links;
}

// The hub and topic of a fetched feed (WebSub 4, discovery): the HTTP Link header first, then the
// document's own links; the topic is the rel=self URL, else the URL the feed was fetched from.
// Only http(s) URLs are taken: a stranger's feed must not send Paradox anywhere else.
export function discoverHub(header: string | undefined, document: DocumentLinks, fetchedUrl: string): HubLink | null {
  const links = linkHeader(header);
  const hub = [...links.filter((l) => l.rels.includes('hub')).map((l) => l.url), ...document.hubs].map((u) => absolute(u, fetchedUrl)).find(Boolean);
  if (!hub) return null;
  const self = [links.find((l) => l.rels.includes('self'))?.url, document.self].map((u) => absolute(u, fetchedUrl)).find(Boolean);
  return { hub, topic: self ?? fetchedUrl };
}

// A secret for one subscription: WebSub allows at most 200 bytes; 32 random ones as hex.
export function subscriptionSecret(): string {
  return randomBytes(32).toString('hex');
}

export type PushSignature = { ok: true } | { ok: false; reason: string };

// X-Hub-Signature: `method=hex` over the body exactly as sent, with the subscription's secret.
// The reason never quotes the signature.
export function checkPushSignature(header: string | undefined, secret: string, body: Buffer): PushSignature {
  if (!header) return { ok: false, reason: 'X-Hub-Signature is missing' };
  const match = /^(sha1|sha256|sha384|sha512)=([0-9a-f]+)$/i.exec(header.trim());
  if (!match) return { ok: false, reason: 'X-Hub-Signature is not method=<hex> with sha1, sha256, sha384 or sha512' };
  const method = match[1].toLowerCase();
  const presented = Buffer.from(match[2], 'hex');
  if (presented.length !== METHODS[method]) return { ok: false, reason: `X-Hub-Signature is not a ${method} digest` };
  const expected = createHmac(method, secret).update(body).digest();
  return timingSafeEqual(expected, presented) ? { ok: true } : { ok: false, reason: 'X-Hub-Signature does not match the body with the subscription secret' };
}

// The form a subscription request posts to the hub (WebSub 5.1).
export function subscribeForm(link: HubLink, callback: string, secret: string, leaseSeconds: number): URLSearchParams {
  return new URLSearchParams({
    'hub.mode': 'subscribe',
    'hub.topic': link.topic,
    'hub.callback': callback,
    'hub.secret': secret,
    'hub.lease_seconds': String(leaseSeconds),
  });
}

// The form that gives a subscription back (WebSub 5.1).
export function unsubscribeForm(link: HubLink, callback: string): URLSearchParams {
  return new URLSearchParams({ 'hub.mode': 'unsubscribe', 'hub.topic': link.topic, 'hub.callback': callback });
}

function absolute(url: string | undefined, base: string): string | undefined {
  if (!url?.trim()) return undefined;
  try {
    const parsed = new URL(url.trim(), base);
    return parsed.protocol === 'http:' || parsed.protocol === 'https:' ? parsed.href : undefined;
  } catch {
    return undefined;
  }
}
