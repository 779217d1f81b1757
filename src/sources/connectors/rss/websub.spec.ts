import { describe, expect, it } from '@jest/globals';
import { createHmac } from 'node:crypto';
import { checkPushSignature, discoverHub, linkHeader, subscribeForm, subscriptionSecret } from './websub.js';

const FEED = 'https://reviews.example/acme/feed.rss';
const NONE = { hubs: [], self: undefined };

describe('WebSub discovery and signatures', () => {
  it('reads Link headers with several links and several rels', () => {
    expect(linkHeader('<https://hub.example/>; rel="hub", <https://reviews.example/feed>; rel="self alternate"; type="application/rss+xml"')).toEqual([
      { url: 'https://hub.example/', rels: ['hub'] },
      { url: 'https://reviews.example/feed', rels: ['self', 'alternate'] },
    ]);
    expect(linkHeader('<https://hub.example/>; rel=hub')).toEqual([{ url: 'https://hub.example/', rels: ['hub'] }]);
    expect(linkHeader(undefined)).toEqual([]);
  });

  it('takes the hub from the Link header before the document, and the self link as the topic', () => {
    const header = '<https://header-hub.example/>; rel="hub", <https://reviews.example/canonical.rss>; rel="self"';
    expect(discoverHub(header, { hubs: ['https://doc-hub.example/'], self: 'https://reviews.example/doc.rss' }, FEED)).toEqual({
      hub: 'https://header-hub.example/',
      topic: 'https://reviews.example/canonical.rss',
    });
    expect(discoverHub(undefined, { hubs: ['https://doc-hub.example/'], self: 'https://reviews.example/doc.rss' }, FEED)).toEqual({
      hub: 'https://doc-hub.example/',
      topic: 'https://reviews.example/doc.rss',
    });
  });

  it('falls back to the fetched URL as the topic, resolves relative links and names no hub when there is none', () => {
    expect(discoverHub(undefined, { hubs: ['/hub'], self: undefined }, FEED)).toEqual({ hub: 'https://reviews.example/hub', topic: FEED });
    expect(discoverHub(undefined, NONE, FEED)).toBeNull();
  });

  it('never follows a hub that is not http(s): a stranger’s feed does not send Paradox elsewhere', () => {
    expect(discoverHub('<file:///etc/passwd>; rel="hub"', { hubs: ['javascript:alert(1)'], self: undefined }, FEED)).toBeNull();
    expect(discoverHub(undefined, { hubs: ['ftp://hub.example/', 'https://hub.example/'], self: 'gopher://x' }, FEED)).toEqual({ hub: 'https://hub.example/', topic: FEED });
  });

  it('accepts a push signed with the secret by sha1, sha256, sha384 or sha512, and nothing else', () => {
    const secret = subscriptionSecret();
    const body = Buffer.from('<rss><channel><title>Acme</title></channel></rss>');
    for (const method of ['sha1', 'sha256', 'sha384', 'sha512']) {
      expect(checkPushSignature(`${method}=${createHmac(method, secret).update(body).digest('hex')}`, secret, body)).toEqual({ ok: true });
    }
    const good = createHmac('sha256', secret).update(body).digest('hex');
    expect(checkPushSignature(`sha256=${good}`, secret, Buffer.from('<rss>changed</rss>'))).toMatchObject({ ok: false, reason: expect.stringContaining('does not match') });
    expect(checkPushSignature(`sha256=${good}`, 'another secret', body)).toMatchObject({ ok: false });
    expect(checkPushSignature(undefined, secret, body)).toEqual({ ok: false, reason: 'X-Hub-Signature is missing' });
    expect(checkPushSignature(`md5=${good}`, secret, body)).toMatchObject({ ok: false, reason: expect.stringContaining('method=<hex>') });
    expect(checkPushSignature(`sha512=${good}`, secret, body)).toEqual({ ok: false, reason: 'X-Hub-Signature is not a sha512 digest' });
  });

  it('asks the hub with the form WebSub defines, with a secret under its 200-byte limit', () => {
    const secret = subscriptionSecret();
    expect(Buffer.byteLength(secret)).toBeLessThan(200);
    expect(subscriptionSecret()).not.toBe(secret);
    expect(Object.fromEntries(subscribeForm({ hub: 'https://hub.example/', topic: FEED }, 'https://care.example/websub/acme-reviews', secret, 864000))).toEqual({
      'hub.mode': 'subscribe',
      'hub.topic': FEED,
      'hub.callback': 'https://care.example/websub/acme-reviews',
      'hub.secret': secret,
      'hub.lease_seconds': '864000',
    });
  });
});
