import { describe, expect, it } from '@jest/globals';
import { SystemClock } from '../../../common/clock.js';
import type { ResolvedSource } from '../../../config/app-config.js';
import { RssConnector, decodeFeed, retryAt } from './rss.connector.js';

const NOW = new Date('2026-11-02T09:00:00Z');

describe('the feed connector', () => {
  const connector = new RssConnector({ id: 'acme-feed', rss: { url: 'https://feeds.example/acme.xml', timeoutMs: 1000 } } as ResolvedSource, new SystemClock());

  it('is read-only: replies are manual, and posting one is refused with what to do instead', async () => {
    expect(connector.replyRules).toMatchObject({ manual: true, idempotent: true, addressesAuthor: false });
    await expect(connector.postReply()).rejects.toThrow('record it with POST /replies/:id/record');
  });

  it('has a brand account that is nobody’s author', async () => {
    expect((await connector.ownAccount()).externalId).not.toContain('/');
  });

  it('reads Retry-After as seconds or as an HTTP date, and waits a minute without it', () => {
    expect(retryAt('120', NOW)).toEqual(new Date('2026-11-02T09:02:00Z'));
    expect(retryAt('Mon, 02 Nov 2026 10:00:00 GMT', NOW)).toEqual(new Date('2026-11-02T10:00:00Z'));
    expect(retryAt(undefined, NOW)).toEqual(new Date('2026-11-02T09:01:00Z'));
    expect(retryAt('soon', NOW)).toEqual(new Date('2026-11-02T09:01:00Z'));
  });

  it('decodes a feed by the charset the server or the XML declaration names', () => {
    const latin1 = Buffer.from('<?xml version="1.0" encoding="ISO-8859-1"?><rss><channel><title>Caf\xe9</title></channel></rss>', 'latin1');
    expect(decodeFeed(latin1, 'application/rss+xml')).toContain('<title>Café</title>');
    expect(decodeFeed(Buffer.from('<rss><title>Caf\xe9</title></rss>', 'latin1'), 'text/xml; charset=windows-1252')).toContain('Café');
    expect(decodeFeed(Buffer.from('\uFEFF<rss><title>Café</title></rss>', 'utf8'), 'text/xml; charset=no-such-charset')).toBe('<rss><title>Café</title></rss>');
  });
});
