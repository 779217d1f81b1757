import { describe, expect, it } from '@jest/globals';
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { resolve } from 'node:path';
import { ConnectorError } from '../../connector-error.js';
import { entryDate, entryUrl, readFeed, readFeedDocument, unwrapRedirect } from './feed-entries.js';
import { discoverHub } from './websub.js';

const FEEDS = resolve(process.cwd(), '../shared/contracts/feeds');
const FIXTURES = existsSync(FEEDS) ? readdirSync(FEEDS).filter((f) => /\.(xml|json)$/.test(f)) : [];
const FETCHED_AT = new Date('2030-01-01T00:00:00Z');
const context = { feedUrl: 'https://feeds.example/acme.xml', fetchedAt: FETCHED_AT };
const fixture = (name: string) => readFileSync(resolve(FEEDS, name), 'utf8');
const read = (body: string) => readFeed(body, context);
const rss = (items: string, channel = '') => `<?xml version="1.0"?><rss version="2.0"><channel><title>Acme reviews</title>${channel}${items}</channel></rss>`;

function failure(body: string): ConnectorError {
  try {
    read(body);
  } catch (error) {
    return error as ConnectorError;
  }
  throw new Error('the feed was read');
}

// The recorded feeds of ../shared/contracts/feeds (feedjira's fixtures); skipped when absent.
(FIXTURES.length ? describe : describe.skip)('reading the recorded feeds', () => {
  it.each(FIXTURES.length ? FIXTURES : ['none'])('reads %s into posts with ids, links and plain text', (name) => {
    const posts = read(fixture(name));
    expect(posts.length).toBeGreaterThan(0);
    expect(new Set(posts.map((p) => p.externalId)).size).toBe(posts.length);
    for (const post of posts) {
      expect(post.externalId.trim()).not.toBe('');
      expect(post.url).toMatch(/^https?:\/\/[^\s]+$/);
      expect(post.text.trim()).not.toBe('');
      // Escaped markup is text ("Unmanaged&lt;AnyObject&gt;" in json_feed.json); real tags never survive.
      expect(post.text).not.toMatch(/<\/?(p|a|b|i|em|strong|div|span|img|br|li|ul|ol|h[1-6]|script|style|iframe)\b[^>]*>/i);
      expect(post.text).not.toMatch(/&(amp|lt|gt|quot|nbsp|#\d+|#x[0-9a-f]+);/i);
      expect(post.postedAt.getTime()).not.toBeNaN();
      expect(post).toMatchObject({ visibility: 'public', inReplyToExternalId: null });
      expect(post.author.externalId).toMatch(/^feeds\.example\//);
      expect(post.author.handle).toContain('(feeds.example)');
    }
  });

  it('finds the WebSub hubs a FeedBurner feed names, and its canonical URL', () => {
    const { links } = readFeedDocument(fixture('TechCrunch.xml'), context);
    expect(links).toEqual({ hubs: ['http://pubsubhubbub.appspot.com/', 'http://techcrunch.com/?pushpress=hub'], self: 'http://feeds.feedburner.com/Techcrunch' });
    expect(discoverHub(undefined, links, context.feedUrl)).toEqual({ hub: 'http://pubsubhubbub.appspot.com/', topic: 'http://feeds.feedburner.com/Techcrunch' });
  });

  it('unwraps Google Alerts links and drops the <b> from their titles', () => {
    const posts = read(fixture('google_alerts_atom.xml'));
    expect(posts).toHaveLength(20);
    expect(posts.every((p) => !p.url!.startsWith('https://www.google.com/'))).toBe(true);
    expect(posts[1]).toMatchObject({
      externalId: 'tag:google.com,2013:googlealerts/feed:13685523368333461374',
      url: 'https://investorplace.com/2019/07/slack-stock-truly-compelling/',
      text: "Slack Stock Has a Compelling Story and the Numbers to Back It Up\n\nIn the run up to the IPO for Slack Technologies Inc (NYSE:WORK), much of the news coverage centered on the Company's decision to go public via ...",
      postedAt: new Date('2019-07-10T11:46:48Z'),
      // Alerts name no author: the alert's own title stands in.
      author: { displayName: 'Google Alert - Slack', handle: 'Google Alert - Slack (feeds.example)' },
    });
    expect(posts.some((p) => /<b>|&lt;b&gt;/.test(p.text))).toBe(false);
  });

  it('dates an entry by the first date that parses, and by the fetch when none does', () => {
    const feed = fixture('InvalidDateFormat.xml');
    const [first, second] = read(feed);
    // Item 0's dc:date "1518478934" is no date; its pubDate is.
    expect(first).toMatchObject({ externalId: 'http://example.com/item0', postedAt: new Date('2017-10-16T15:10:00Z'), language: 'en-US' });
    expect(second.postedAt).toEqual(new Date('2017-10-17T12:17:00Z'));
    const [undated] = read(feed.replace('<pubDate>Mon, 16 Oct 2017 15:10:00 +0000</pubDate>', ''));
    expect(undated.postedAt).toEqual(FETCHED_AT);
  });

  it('reads a JSON Feed, with the feed author for items that name none', () => {
    const posts = read(fixture('json_feed.json'));
    expect(posts).toHaveLength(20);
    expect(posts[0]).toMatchObject({
      externalId: 'http://inessential.com/2017/06/02/james_dempsey_and_the_breakpoints_benefi',
      postedAt: new Date('2017-06-03T05:05:47Z'),
      language: 'en-US',
      author: { displayName: 'Brent Simmons', externalId: 'feeds.example/brent simmons' },
    });
    expect(posts[0].text).toMatch(/^James Dempsey and the Breakpoints Benefit App Camp for Girls\n\nOn Wednesday night/);
  });

  it('keeps the entries of a feed with comment links top-level: a <comments> link is no parent', () => {
    const posts = read(fixture('RSSWithComments.xml'));
    expect(posts).toHaveLength(30);
    expect(posts.every((p) => p.inReplyToExternalId === null)).toBe(true);
    expect(posts[0]).toMatchObject({
      url: 'https://aws.amazon.com/blogs/aws/announcing-aws-lambda-function-urls-built-in-https-endpoints-for-single-function-microservices/',
      text: 'AWS Lambda Function URLs: Built-In HTTPS Endpoints for Lambda\n\nComments',
    });
  });

  it('reads an Atom feed whose text is only in the media group (YouTube)', () => {
    const [video] = read(fixture('youtube_atom.xml'));
    expect(video).toMatchObject({ externalId: 'yt:video:5shykyfmb28', url: 'http://www.youtube.com/watch?v=5shykyfmb28', author: { displayName: 'Google' } });
    expect(video.text).toMatch(/^The Google app: Questions Title\n\nA question is the most powerful force/);
  });
});

describe('reading a feed', () => {
  it('refuses a feed cut short, though its parser would read the first half', () => {
    const whole = rss('<item><guid>1</guid><title>one</title></item><item><guid>2</guid><title>two</title></item>');
    expect(read(whole)).toHaveLength(2);
    const cut = whole.slice(0, whole.indexOf('<item><guid>2'));
    expect(failure(cut)).toMatchObject({ code: 'BAD_RESPONSE', message: expect.stringContaining('cut short') });
    expect(failure('{"version":"https://jsonfeed.org/version/1.1","title":"x","items":[{"id":"1"')).toMatchObject({ code: 'BAD_RESPONSE' });
  });

  it('refuses what is not a feed', () => {
    expect(failure('<!DOCTYPE html><html><body><h1>Sign in</h1></body></html>')).toMatchObject({ code: 'BAD_RESPONSE', message: expect.stringContaining('not an RSS, Atom, RDF or JSON feed') });
    expect(failure('<rss version="2.0"><channel><item><title>a</titl></item></channel></rss>')).toMatchObject({ code: 'BAD_RESPONSE', message: expect.stringContaining('malformed') });
  });

  it('never interprets the markup of an entry: tags are dropped, escaped markup stays text', () => {
    const [post] = read(
      rss(`<item><guid>r1</guid><title>Broken &lt;b&gt;again&lt;/b&gt;</title><description><![CDATA[<p>My order <img src=x onerror=alert(1)>never came.</p><p>&lt;script&gt;alert(1)&lt;/script&gt;</p><script>steal()</script>]]></description></item>`),
    );
    expect(post.text).toBe('Broken again\n\nMy order never came.\n\n<script>alert(1)</script>');
  });

  it('identifies an entry by its guid, else its link, else a hash of its title and date', () => {
    const posts = read(
      rss(
        '<item><guid isPermaLink="false">urn:review:1</guid><link>https://reviews.example/1</link><title>a</title></item>' +
          '<item><link>https://reviews.example/2?utm_source=feed#review</link><title>b</title></item>' +
          '<item><title>c</title><pubDate>Tue, 17 Oct 2017 12:17:00 +0000</pubDate></item>' +
          '<item><title>c</title><pubDate>Wed, 18 Oct 2017 12:17:00 +0000</pubDate></item>',
      ),
    );
    expect(posts.map((p) => p.externalId)).toEqual(['urn:review:1', 'https://reviews.example/2#review', expect.stringMatching(/^sha256:[0-9a-f]{32}$/), expect.stringMatching(/^sha256:/)]);
    expect(posts[2].externalId).not.toBe(posts[3].externalId);
    expect(posts[2].url).toBeNull();
    expect(read(rss('<item><title>c</title><pubDate>Tue, 17 Oct 2017 12:17:00 +0000</pubDate></item>'))[0].externalId).toBe(posts[2].externalId);
  });

  it('names the author, else the feed, by a stable id on the feed host', () => {
    const posts = read(rss('<item><guid>1</guid><title>a</title><dc:creator>Anna K.</dc:creator></item><item><guid>2</guid><title>b</title></item>').replace('<rss ', '<rss xmlns:dc="http://purl.org/dc/elements/1.1/" '));
    expect(posts.map((p) => p.author)).toEqual([
      { externalId: 'feeds.example/anna k.', handle: 'Anna K. (feeds.example)', displayName: 'Anna K.', followers: null },
      { externalId: 'feeds.example/acme reviews', handle: 'Acme reviews (feeds.example)', displayName: 'Acme reviews', followers: null },
    ]);
  });

  it('names the WebSub hubs and the canonical URL the feed gives itself, in RSS, Atom and JSON Feed', () => {
    const links = (body: string) => readFeedDocument(body, context).links;
    const hubbed = rss('', '<atom:link xmlns:atom="http://www.w3.org/2005/Atom" rel="hub" href="https://hub.example/"/><atom:link xmlns:atom="http://www.w3.org/2005/Atom" rel="self" href="https://feeds.example/canonical.xml"/>');
    expect(links(hubbed)).toEqual({ hubs: ['https://hub.example/'], self: 'https://feeds.example/canonical.xml' });
    const atom = '<feed xmlns="http://www.w3.org/2005/Atom"><title>t</title><id>x</id><link rel="hub" href="https://hub.example/"/><link rel="self" href="https://feeds.example/a.atom"/></feed>';
    expect(links(atom)).toEqual({ hubs: ['https://hub.example/'], self: 'https://feeds.example/a.atom' });
    const json = JSON.stringify({ version: 'https://jsonfeed.org/version/1.1', title: 't', feed_url: 'https://feeds.example/f.json', hubs: [{ type: 'rssCloud', url: 'https://cloud.example/' }, { type: 'WebSub', url: 'https://hub.example/' }], items: [] });
    expect(links(json)).toEqual({ hubs: ['https://hub.example/'], self: 'https://feeds.example/f.json' });
    expect(links(rss(''))).toEqual({ hubs: [], self: undefined });
  });

  it('keeps what a comment answers when the feed says so (Atom Threading)', () => {
    const atom = `<feed xmlns="http://www.w3.org/2005/Atom" xmlns:thr="http://purl.org/syndication/thread/1.0"><title>Comments on Acme</title><id>urn:f</id><updated>2026-01-01T00:00:00Z</updated>
      <entry><id>urn:comment:2</id><title>Re: delivery</title><updated>2026-01-01T00:00:00Z</updated><thr:in-reply-to ref="urn:post:1" href="https://forum.example/1"/><content type="text">Still no parcel &lt;3</content></entry></feed>`;
    expect(read(atom)[0]).toMatchObject({ externalId: 'urn:comment:2', inReplyToExternalId: 'urn:post:1', text: 'Re: delivery\n\nStill no parcel <3' });
  });
});

describe('entry links and dates', () => {
  it('unwraps Google redirect links and leaves others alone', () => {
    expect(unwrapRedirect('https://www.google.com/url?rct=j&sa=t&url=https://shop.example/review%3Fid%3D7&ct=ga')).toBe('https://shop.example/review?id=7');
    expect(unwrapRedirect('https://www.google.co.uk/url?q=https://shop.example/a')).toBe('https://shop.example/a');
    expect(unwrapRedirect('https://www.google.com/url?url=javascript:alert(1)')).toBe('https://www.google.com/url?url=javascript:alert(1)');
    expect(unwrapRedirect('https://evil.example/url?url=https://shop.example/')).toBe('https://evil.example/url?url=https://shop.example/');
  });

  it('gives only absolute http(s) links', () => {
    expect(entryUrl('javascript:alert(1)', 'https://feeds.example/')).toBeNull();
    expect(entryUrl('/reviews/9', 'https://feeds.example/acme.xml')).toBe('https://feeds.example/reviews/9');
    expect(entryUrl('  ', 'https://feeds.example/')).toBeNull();
  });

  it('dates an entry from the future at the fetch', () => {
    expect(entryDate(['2031-01-01T00:00:00Z'], FETCHED_AT)).toEqual(FETCHED_AT);
    expect(entryDate([undefined, 'garbage', '2020-02-02T00:00:00Z'], FETCHED_AT)).toEqual(new Date('2020-02-02T00:00:00Z'));
  });
});
