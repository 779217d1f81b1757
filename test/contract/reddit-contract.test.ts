import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { queue, workers } from '../support/flow.js';
import { contractsAvailable } from '../support/openapi-contract.js';
import { REDDIT_SOURCE, RedditImitation, redditEnv, redditSource } from '../support/reddit-imitation.js';
import { TestClock } from '../support/test-clock.js';
import { startTestApp, type TestApp } from '../support/test-app.js';

// Reddit publishes no machine-readable spec: the recorded answers (asyncpraw's and prawcore's
// cassettes) are the contract. The imitation must answer in their shape, and Paradox must ask as
// they show: the same methods, paths, parameters and form fields.

const REDDIT_CONTRACTS = path.resolve(process.cwd(), '../shared/contracts/reddit');
const describeWithContracts = contractsAvailable(REDDIT_CONTRACTS) ? describe : describe.skip;

interface Interaction {
  request: { method: string; uri: string; body: unknown };
  response: { status: number; headers: Record<string, string>; body: any };
}

function cassette(name: string): Interaction[] {
  return JSON.parse(fs.readFileSync(path.join(REDDIT_CONTRACTS, 'cassettes-decoded', `${name}.json`), 'utf8'));
}

function recording(name: string, method: string, pathname: string): Interaction {
  const found = cassette(name).find((i) => i.request.method === method && new URL(i.request.uri).pathname.replace(/(.)\/$/, '$1') === pathname);
  if (!found) throw new Error(`${name} records no ${method} ${pathname}`);
  return found;
}

// The fields Paradox reads, per thing (reddit.types.ts).
const READS = {
  listing: ['kind', 'data.after', 'data.before', 'data.children'],
  link: ['name', 'id', 'author', 'author_fullname', 'created_utc', 'subreddit', 'title', 'selftext', 'permalink'],
  comment: ['name', 'id', 'author', 'author_fullname', 'created_utc', 'subreddit', 'body', 'parent_id', 'link_id', 'permalink'],
  message: ['name', 'id', 'author', 'author_fullname', 'created_utc', 'body', 'parent_id', 'context', 'was_comment', 'type'],
  me: ['id', 'name'],
  token: ['access_token', 'token_type', 'expires_in', 'scope'],
};

const typeOf = (value: unknown) => (value === null ? 'null' : Array.isArray(value) ? 'array' : typeof value);

// Where the imitation's answer departs from the recorded one: a key the recording lacks, or a
// value of another type. A null on either side fits any type (Reddit's fields are nullable), and
// `replies` is "" or a Listing, as the recordings show both.
function shapeErrors(actual: unknown, recorded: unknown, where = '$'): string[] {
  if (actual === null || recorded === null) return [];
  if (where.endsWith('.replies') && (actual === '' || recorded === '')) return [];
  if (typeOf(actual) !== typeOf(recorded)) return [`${where}: ${typeOf(actual)}, recorded ${typeOf(recorded)}`];
  if (Array.isArray(actual)) {
    const samples = recorded as unknown[];
    if (!samples.length) return [];
    // Compare each element with a recorded one of the same kind of thing, when they have kinds.
    return actual.flatMap((item, i) => {
      const kind = (item as { kind?: unknown })?.kind;
      const sample = samples.find((s) => (s as { kind?: unknown })?.kind === kind) ?? samples[0];
      return shapeErrors(item, sample, `${where}[${i}]`);
    });
  }
  if (typeOf(actual) === 'object') {
    const known = recorded as Record<string, unknown>;
    return Object.entries(actual as Record<string, unknown>).flatMap(([key, value]) =>
      key in known ? shapeErrors(value, known[key], `${where}.${key}`) : [`${where}.${key}: not in the recording`],
    );
  }
  return [];
}

// The fields Paradox reads: present in both, with the same type (a recorded null fits any).
function readErrors(actual: Record<string, unknown>, recorded: Record<string, unknown>, fields: string[], where: string): string[] {
  const at = (value: unknown, field: string) => field.split('.').reduce<unknown>((v, k) => (v as Record<string, unknown> | undefined)?.[k], value);
  return fields.flatMap((field) => {
    const [a, r] = [at(actual, field), at(recorded, field)];
    if (a === undefined) return [`${where}.${field}: missing from the imitation`];
    if (r === undefined) return [`${where}.${field}: missing from the recording`];
    return r === null || a === null || typeOf(a) === typeOf(r) ? [] : [`${where}.${field}: ${typeOf(a)}, recorded ${typeOf(r)}`];
  });
}

// Every recorded child's data merged: the recorded keys of that kind of thing, with their types.
function recordedThing(listings: any[], kind: string): Record<string, unknown> {
  const merged: Record<string, unknown> = {};
  for (const listing of listings) {
    for (const child of listing.data.children) {
      if (child.kind !== kind) continue;
      for (const [key, value] of Object.entries(child.data)) if (merged[key] === undefined || merged[key] === null) merged[key] = value;
    }
  }
  return merged;
}

describeWithContracts('Reddit contract', () => {
  const newListing = () => recording('asyncpraw.TestSubredditListings.test_new', 'GET', '/r/askreddit/new').response.body;
  const streamed = () => cassette('asyncpraw.TestSubredditStreams.test_submissions').filter((i) => i.request.uri.includes('/r/all/new'));
  const searched = () => recording('asyncpraw.TestSubreddit.test_search', 'GET', '/r/all/search').response.body;
  const commented = () => recording('asyncpraw.TestSubmission.test_reply', 'POST', '/api/comment').response.body;
  const messages = () => recording('asyncpraw.TestMessage.test_reply', 'GET', '/message/messages').response.body;
  const recordedLink = () => recordedThing([newListing(), searched(), ...streamed().map((i) => i.response.body)], 't3');
  const recordedComment = () => {
    const [reply, onComment] = [commented(), recording('asyncpraw.TestComment.test_reply', 'POST', '/api/comment').response.body];
    return recordedThing([{ data: { children: [...reply.json.data.things, ...onComment.json.data.things] } }], 't1');
  };
  const recordedMessage = () => {
    const top = messages().data.children[0];
    return recordedThing([messages(), top.data.replies], 't4');
  };

  describe('the recordings', () => {
    it('hold every field Paradox reads, so the checks below compare something', () => {
      const errors = [
        ...readErrors(newListing(), newListing(), READS.listing, 'new'),
        ...readErrors(recordedLink(), recordedLink(), READS.link, 't3'),
        ...readErrors(recordedComment(), recordedComment(), READS.comment, 't1'),
        ...readErrors(recordedMessage(), recordedMessage(), READS.message.filter((f) => f !== 'parent_id'), 't4'),
      ];
      expect(errors).toEqual([]);
      expect(typeof recordedLink().created_utc).toBe('number');
      expect(recordedComment().parent_id).toMatch(/^t[13]_/);
    });

    it('page newer items with `before`, newest first, and name no `after` then', () => {
      const [first, above] = streamed();
      const anchor = new URL(above.request.uri).searchParams.get('before');
      expect(anchor).toBe(first.response.body.data.children[0].data.name);
      const times = above.response.body.data.children.map((c: any) => c.data.created_utc);
      expect(times).toEqual([...times].sort((a, b) => b - a));
      expect(Math.min(...times)).toBeGreaterThanOrEqual(first.response.body.data.children[0].data.created_utc);
      expect(above.response.body.data).toMatchObject({ after: null, before: null });
    });

    it('show the rate-limit headers as a float remaining and whole seconds left', () => {
      const { headers } = recording('asyncpraw.TestSubredditStreams.test_submissions', 'GET', '/r/all/new').response;
      expect(headers).toMatchObject({ 'x-ratelimit-remaining': '347.0', 'x-ratelimit-reset': '321', 'x-ratelimit-used': '253' });
    });
  });

  describe('the imitation answers as recorded', () => {
    let reddit: RedditImitation;
    let token: string;

    beforeAll(async () => {
      reddit = await RedditImitation.start();
      token = (await grant()).body.access_token;
    });

    afterAll(async () => {
      await reddit.stop();
    });

    async function call(method: string, pathAndQuery: string, opts: { form?: Record<string, string>; headers?: Record<string, string> } = {}) {
      const res = await fetch(`${reddit.url}${pathAndQuery}`, {
        method,
        headers: {
          Authorization: `bearer ${token}`,
          'User-Agent': 'test:paradox-contract:0.1',
          ...(opts.form ? { 'Content-Type': 'application/x-www-form-urlencoded' } : {}),
          ...opts.headers,
        },
        body: opts.form ? new URLSearchParams(opts.form).toString() : undefined,
      });
      const text = await res.text();
      let body: any;
      try {
        body = JSON.parse(text);
      } catch {
        body = undefined;
      }
      return { status: res.status, headers: res.headers, text, body };
    }

    function grant(password = reddit.password) {
      const basic = Buffer.from(`${reddit.clientId}:${reddit.clientSecret}`).toString('base64');
      return call('POST', '/api/v1/access_token', { form: { grant_type: 'password', username: reddit.brand.name, password }, headers: { Authorization: `Basic ${basic}` } });
    }

    function expectListing(answer: { body: any }, recordedListing: any, things: Record<string, { recorded: Record<string, unknown>; reads: string[] }>) {
      const { children, ...envelope } = answer.body.data;
      const { children: recordedChildren, ...recordedEnvelope } = recordedListing.data;
      expect(shapeErrors({ ...answer.body, data: envelope }, { ...recordedListing, data: recordedEnvelope })).toEqual([]);
      expect(readErrors(answer.body, recordedListing, READS.listing, 'listing')).toEqual([]);
      expect(Array.isArray(recordedChildren)).toBe(true);
      expect(children.length).toBeGreaterThan(0);
      for (const child of children) {
        const want = things[child.kind];
        expect({ kind: child.kind, known: !!want }).toEqual({ kind: child.kind, known: true });
        expect(shapeErrors(child.data, want.recorded, `${child.kind}`)).toEqual([]);
        expect(readErrors(child.data, want.recorded, want.reads, child.kind)).toEqual([]);
      }
    }

    it('issues a token for the password grant in the recorded shape', async () => {
      const answer = await grant();
      const recorded = recording('prawcore.TestSession.test_request__forbidden', 'POST', '/api/v1/access_token').response.body;
      expect(answer.status).toBe(200);
      expect(shapeErrors(answer.body, recorded)).toEqual([]);
      expect(readErrors(answer.body, recorded, READS.token, 'token')).toEqual([]);
      expect(answer.body.token_type).toBe('bearer');
    });

    it('refuses a wrong password with 200 and invalid_grant, and a wrong client with 401', async () => {
      expect(await grant('nope')).toMatchObject({ status: 200, body: { error: 'invalid_grant' } });
      const wrongClient = await call('POST', '/api/v1/access_token', { form: { grant_type: 'password' }, headers: { Authorization: 'Basic bm86bm8=' } });
      expect(wrongClient).toMatchObject({ status: 401, body: { message: 'Unauthorized', error: 401 } });
    });

    it('answers /api/v1/me with the recorded account fields', async () => {
      const answer = await call('GET', '/api/v1/me?raw_json=1');
      const recorded = recording('asyncpraw.TestMessage.test_reply', 'GET', '/api/v1/me').response.body;
      expect(shapeErrors(answer.body, recorded)).toEqual([]);
      expect(readErrors(answer.body, recorded, READS.me, 'me')).toEqual([]);
      expect(answer.body).toMatchObject({ id: reddit.brand.id, name: reddit.brand.name });
    });

    it('lists new links as the recorded Listing of t3, with the rate-limit headers in Reddit\'s format', async () => {
      const anna = reddit.addUser('anna_contract');
      reddit.submit(anna, 'AcmeSupport', 'Charger broke', 'It stopped working after two days.');
      reddit.submit(anna, 'AcmeSupport', 'Link only');
      const answer = await call('GET', '/r/AcmeSupport/new?limit=100&raw_json=1');
      expectListing(answer, newListing(), { t3: { recorded: recordedLink(), reads: READS.link } });
      expect(answer.headers.get('x-ratelimit-remaining')).toMatch(/^\d+\.0$/);
      expect(answer.headers.get('x-ratelimit-reset')).toMatch(/^\d+$/);
      expect(answer.headers.get('x-ratelimit-used')).toMatch(/^\d+$/);
    });

    it('pages with `before` as recorded: the newer items just above the anchor, newest first, no `after`', async () => {
      const tom = reddit.addUser('tom_contract');
      const first = reddit.submit(tom, 'all_new', 'one');
      const newer = [2, 3, 4].map((n) => reddit.submit(tom, 'all_new', `n${n}`));
      const anchor = (first.data as { name: string }).name;
      const above = await call('GET', `/r/all_new/new?before=${anchor}&limit=2&raw_json=1`);
      // The two just above the anchor; the newest waits behind `before`.
      expect(above.body.data.children.map((c: any) => c.data.title)).toEqual(['n3', 'n2']);
      expect(above.body.data).toMatchObject({ after: null, before: above.body.data.children[0].data.name });
      const rest = await call('GET', `/r/all_new/new?before=${above.body.data.before}&limit=2&raw_json=1`);
      expect(rest.body.data.children.map((c: any) => c.data.name)).toEqual([(newer[2].data as { name: string }).name]);
      expect(rest.body.data).toMatchObject({ after: null, before: null });
      expectListing(above, streamed()[1].response.body, { t3: { recorded: recordedLink(), reads: READS.link } });
      const older = await call('GET', `/r/all_new/new?after=${(newer[0].data as { name: string }).name}&limit=2&raw_json=1`);
      expect(older.body.data.children.map((c: any) => c.data.name)).toEqual([anchor]);
      reddit.delete(anchor);
      expect((await call('GET', `/r/all_new/new?before=${anchor}&limit=2&raw_json=1`)).body.data.children).toEqual([]);
    });

    it('searches links as the recorded search Listing', async () => {
      const sanne = reddit.addUser('sanne_contract');
      reddit.submit(sanne, 'phones', 'AcmePhone screen cracked', 'After a week.');
      const answer = await call('GET', '/r/all/search?q=AcmePhone&restrict_sr=false&sort=new&type=link&limit=100&raw_json=1');
      expectListing(answer, searched(), { t3: { recorded: recordedLink(), reads: READS.link } });
      expect(answer.body.data.facets).toEqual({});
    });

    it('answers POST /api/comment with json.errors and the comment in json.data.things, as recorded', async () => {
      const lena = reddit.addUser('lena_contract');
      const link = reddit.submit(lena, 'AcmeSupport', 'Refund?', 'Still waiting.');
      const answer = await call('POST', '/api/comment?raw_json=1', { form: { api_type: 'json', text: 'Sorry, we are on it.', thing_id: (link.data as { name: string }).name } });
      expect(shapeErrors(answer.body, commented())).toEqual([]);
      const [thing] = answer.body.json.data.things;
      expect(readErrors(thing.data, recordedComment(), READS.comment, 't1')).toEqual([]);
      expect(answer.body.json.errors).toEqual([]);
      const onComment = await call('POST', '/api/comment?raw_json=1', { form: { api_type: 'json', text: 'More?', thing_id: thing.data.name } });
      expect(onComment.body.json.data.things[0].data.parent_id).toBe(thing.data.name);
      const refused = await call('POST', '/api/comment?raw_json=1', { form: { api_type: 'json', text: ' ', thing_id: thing.data.name } });
      expect(refused.body.json.errors[0]).toEqual(['NO_TEXT', 'we need something here', 'text']);
    });

    it("lists a subreddit's comments, a user's comments and things by id as Listings of the recorded t1 and t3", async () => {
      const piet = reddit.addUser('piet_contract');
      const link = reddit.submit(piet, 'AcmeSupport', 'Battery', 'Drains fast.');
      reddit.comment(piet, (link.data as { name: string }).name, 'Also the charger is hot.');
      const things = { t1: { recorded: recordedComment(), reads: READS.comment }, t3: { recorded: recordedLink(), reads: READS.link } };
      expectListing(await call('GET', '/r/AcmeSupport/comments?limit=100&raw_json=1'), newListing(), things);
      expectListing(await call('GET', `/user/${reddit.brand.name}/comments?sort=new&limit=100&raw_json=1`), newListing(), things);
      expectListing(await call('GET', `/api/info?id=${(link.data as { name: string }).name}&raw_json=1`), newListing(), things);
    });

    it("keeps the brand's inbox in the recorded message envelope", async () => {
      const joost = reddit.addUser('joost_contract');
      const own = reddit.submit(reddit.brand, 'AcmeSupport', 'Weekly thread', 'Ask us.');
      reddit.comment(joost, (own.data as { name: string }).name, 'My order is late.');
      reddit.message(joost, 'order', 'Where is it?');
      const answer = await call('GET', '/message/inbox?limit=100&raw_json=1');
      expectListing(answer, messages(), { t1: { recorded: recordedMessage(), reads: READS.message }, t4: { recorded: recordedMessage(), reads: READS.message } });
      expect(answer.body.data.children.map((c: any) => [c.kind, c.data.type])).toEqual([
        ['t4', 'unknown'],
        ['t1', 'post_reply'],
      ]);
    });

    it('serves /comments/:article as the link and its comment tree, narrowed to a comment with its context', async () => {
      const ida = reddit.addUser('ida_contract');
      const link = reddit.submit(ida, 'AcmeSupport', 'Tree', 'Root.');
      const a = reddit.comment(ida, (link.data as { name: string }).name, 'a');
      const b = reddit.comment(ida, (a.data as { name: string }).name, 'b');
      reddit.comment(ida, (link.data as { name: string }).name, 'sibling');
      const c = reddit.comment(ida, (b.data as { name: string }).name, 'c');
      const article = (link.data as { id: string }).id;
      const whole = await call('GET', `/comments/${article}?raw_json=1`);
      expect(whole.body).toHaveLength(2);
      expectListing({ body: whole.body[0] }, newListing(), { t3: { recorded: recordedLink(), reads: READS.link } });
      expectListing({ body: whole.body[1] }, newListing(), { t1: { recorded: recordedComment(), reads: READS.comment } });
      expect(whole.body[1].data.children.map((t: any) => t.data.body)).toEqual(['a', 'sibling']);
      const focused = await call('GET', `/comments/${article}?comment=${(b.data as { id: string }).id}&context=8&raw_json=1`);
      const top = focused.body[1].data.children;
      expect(top.map((t: any) => t.data.body)).toEqual(['a']);
      expect(top[0].data.replies.data.children[0].data.body).toBe('b');
      expect(top[0].data.replies.data.children[0].data.replies.data.children[0].data.name).toBe((c.data as { name: string }).name);
    });

    describe('failures', () => {
      it("answers a 429 with Reddit's HTML page, byte for byte as recorded", async () => {
        const recorded = recording('prawcore.TestSession.test_request__too__many_requests__with_retry_headers', 'GET', '/api/v1/me').response;
        reddit.failNext('429-html', { retryAfter: 4 });
        const answer = await call('GET', '/api/v1/me?raw_json=1');
        expect(answer.status).toBe(429);
        expect(answer.headers.get('content-type')).toBe(recorded.headers['content-type']);
        expect(answer.headers.get('retry-after')).toBe(recorded.headers['retry-after']);
        expect(answer.text).toBe(recorded.body);
      });

      it('answers a 429 in the recorded JSON form', async () => {
        const recorded = cassette('prawcore.TestSession.test_request__too__many_requests__without_retry_headers')[0].response;
        reddit.failNext('429-json');
        const answer = await call('GET', '/r/AcmeSupport/new?raw_json=1');
        expect(answer.status).toBe(429);
        expect(answer.body).toEqual(recorded.body);
        expect(answer.headers.get('retry-after')).toBeNull();
      });

      it('refuses a bad token with the recorded 401 and its WWW-Authenticate', async () => {
        const recorded = recording('prawcore.TestSession.test_request__with_invalid_access_token', 'GET', '/').response;
        const res = await fetch(`${reddit.url}/api/v1/me?raw_json=1`, { headers: { Authorization: 'bearer stolen' } });
        expect(res.status).toBe(401);
        expect(await res.json()).toEqual(recorded.body);
        expect(res.headers.get('www-authenticate')).toBe(recorded.headers['www-authenticate']);
      });

      it('answers a 403 as recorded', async () => {
        const recorded = recording('prawcore.TestSession.test_request__forbidden', 'GET', '/user/spez/gilded/given').response;
        reddit.failNext('403');
        const answer = await call('GET', '/r/private/new?raw_json=1');
        expect(answer.status).toBe(403);
        expect(answer.body).toEqual(recorded.body);
        expect(answer.headers.get('x-ratelimit-remaining')).toMatch(/^\d+\.0$/);
      });
    });
  });

  describe("Paradox's requests", () => {
    let reddit: RedditImitation;
    let t: TestApp;
    let clock: TestClock;

    // What the recordings show per endpoint Paradox calls: the query parameters (besides Reddit's
    // paging parameters after/before/limit, which every listing takes), and the form fields.
    const recordedQuery = (name: string, method: string, pathname: string) => Object.keys(Object.fromEntries(new URL(recording(name, method, pathname).request.uri).searchParams));
    const PAGING = ['after', 'before', 'limit'];
    let endpoints: { method: string; path: RegExp; query: string[]; form?: string[]; source: string }[];

    beforeAll(async () => {
      const grantForm = recording('prawcore.TestSession.test_request__forbidden', 'POST', '/api/v1/access_token').request.body as string;
      const commentForm = recording('asyncpraw.TestSubmission.test_reply', 'POST', '/api/comment').request.body as Record<string, string>;
      endpoints = [
        { method: 'POST', path: /^\/api\/v1\/access_token$/, query: [], form: [...new URLSearchParams(grantForm).keys()], source: 'recorded (prawcore)' },
        { method: 'GET', path: /^\/api\/v1\/me$/, query: recordedQuery('asyncpraw.TestMessage.test_reply', 'GET', '/api/v1/me'), source: 'recorded' },
        {
          method: 'GET',
          path: /^\/r\/[A-Za-z0-9_+]+\/new$/,
          query: [...recordedQuery('asyncpraw.TestSubredditListings.test_new', 'GET', '/r/askreddit/new'), ...PAGING],
          source: 'recorded',
        },
        // `type=link` is not in the recording; Reddit's API documentation lists it (sr, link, user).
        { method: 'GET', path: /^\/r\/all\/search$/, query: [...recordedQuery('asyncpraw.TestSubreddit.test_search', 'GET', '/r/all/search'), ...PAGING, 'type'], source: 'recorded' },
        { method: 'POST', path: /^\/api\/comment$/, query: recordedQuery('asyncpraw.TestSubmission.test_reply', 'POST', '/api/comment'), form: Object.keys(commentForm), source: 'recorded' },
        // Not in the recordings: the listings Reddit's API documentation gives, with its parameters.
        { method: 'GET', path: /^\/r\/[A-Za-z0-9_+]+\/comments$/, query: ['raw_json', ...PAGING], source: 'documented' },
        { method: 'GET', path: /^\/message\/inbox$/, query: ['raw_json', ...PAGING], source: 'documented (like the recorded /message/messages)' },
        { method: 'GET', path: /^\/user\/[A-Za-z0-9_-]+\/comments$/, query: ['raw_json', 'sort', ...PAGING], source: 'documented' },
        { method: 'GET', path: /^\/api\/info$/, query: ['raw_json', 'id'], source: 'documented' },
        { method: 'GET', path: /^\/comments\/[a-z0-9]+$/, query: ['raw_json', 'comment', 'context'], source: 'documented' },
      ];

      clock = new TestClock(new Date());
      reddit = await RedditImitation.start({ now: () => clock.now() });
      t = await startTestApp(redditSource(reddit, { subreddits: ['AcmeSupport', 'phones'], pageSize: 2 }), { clock, env: redditEnv(reddit) });
      const w = workers(t);
      await w.poll(REDDIT_SOURCE);
      // Several pages (climbed with `before`), then a deleted anchor (read back with `after`).
      const anna = reddit.addUser('anna_k');
      const complaint = reddit.submit(anna, 'AcmeSupport', 'Charger broke', 'Broke after two days, terrible. I want a refund.');
      const tom = reddit.addUser('tom_b');
      const comment = reddit.comment(tom, (complaint.data as { name: string }).name, 'Mine broke too and support ignores me, awful.');
      let last = complaint;
      for (let i = 0; i < 5; i++) last = reddit.submit(anna, 'phones', `Order ${i} lost`, 'Still waiting, terrible.');
      await w.poll(REDDIT_SOURCE);
      reddit.delete((last.data as { name: string }).name);
      clock.advance(2000);
      for (let i = 0; i < 5; i++) reddit.submit(anna, 'phones', `Order ${i + 5} lost`, 'Still waiting, terrible.');
      await w.poll(REDDIT_SOURCE);
      // A reply whose answer is lost, so the next attempt looks among the brand's comments first.
      const c = (await queue(t)).find((i) => i.post.externalId === (comment.data as { name: string }).name)!;
      await t.as('agent').post(`/cases/${c.id}/acknowledge`, {});
      reddit.failNext('drop-response', { pathPrefix: '/api/comment' });
      await w.publish();
      clock.advance(60_000);
      await w.publish();
      // The thread around a comment: the comment found by id, then its link narrowed to it.
      await t.as('agent').get(`/cases/${c.id}/thread`);
    });

    afterAll(async () => {
      await t?.close();
      await reddit?.stop();
    });

    it('go to the endpoints the recordings and Reddit\'s documentation show, with only their parameters and form fields', () => {
      const unknown: string[] = [];
      for (const r of reddit.requests) {
        const endpoint = endpoints.find((e) => e.method === r.method && e.path.test(r.path));
        if (!endpoint) {
          unknown.push(`${r.method} ${r.path}`);
          continue;
        }
        expect({ request: `${r.method} ${r.path}`, query: Object.keys(r.query).filter((k) => !endpoint.query.includes(k)) }).toEqual({ request: `${r.method} ${r.path}`, query: [] });
        if (endpoint.form) expect({ request: `${r.method} ${r.path}`, form: Object.keys(r.body as Record<string, string>).sort() }).toEqual({ request: `${r.method} ${r.path}`, form: [...endpoint.form].sort() });
      }
      expect(unknown).toEqual([]);
    });

    it('use every endpoint above, so none of these checks is idle', () => {
      const used = endpoints.filter((e) => reddit.requests.some((r) => r.method === e.method && e.path.test(r.path)));
      expect(used.map((e) => e.path.source)).toEqual(endpoints.map((e) => e.path.source));
      expect(reddit.requests.some((r) => r.query.before)).toBe(true);
      expect(reddit.requests.some((r) => r.query.after)).toBe(true);
    });

    it('carry raw_json=1 to the API, as every recorded request does, and the grant as the recording shows', () => {
      for (const r of reddit.requests.filter((q) => q.path !== '/api/v1/access_token')) expect({ request: `${r.method} ${r.path}`, raw_json: r.query.raw_json }).toEqual({ request: `${r.method} ${r.path}`, raw_json: '1' });
      const grants = reddit.requests.filter((q) => q.path === '/api/v1/access_token');
      expect(grants.map((g) => (g.body as Record<string, string>).grant_type)).toEqual(grants.map(() => 'password'));
      const search = reddit.requests.find((q) => q.path === '/r/all/search')!;
      expect(search.query).toMatchObject({ q: 'AcmePhone', restrict_sr: 'false', sort: 'new', type: 'link' });
      expect(reddit.requests.find((q) => q.path === '/r/AcmeSupport+phones/new')).toBeDefined();
    });
  });
});
