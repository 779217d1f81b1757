import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { ResolvedSource } from '../../src/config/app-config.js';
import { XSourceConfig } from '../../src/config/config.schema.js';
import { XConnector } from '../../src/sources/connectors/x/x.connector.js';
import type { CredentialStore } from '../../src/sources/source-credentials.js';
import { OpenApiContract, X_CONTRACTS, contractsAvailable } from '../support/openapi-contract.js';
import { TestClock } from '../support/test-clock.js';
import { type XAccount, XImitation, type XRecordedRequest } from '../support/x-imitation.js';

interface Interaction {
  request: { method: string; uri: string; body: unknown };
  response: { status: number; headers: Record<string, string>; body: any };
}

interface PostmanExample {
  name: string;
  status: number;
  request: string;
  headers: Record<string, string>;
  body: any;
}

interface Answer {
  status: number;
  headers: Headers;
  contentType: string;
  text: string;
  body: any;
}

const SPEC = 'openapi/x-api-v2.openapi.v2.159.json';
const describeWithContracts = contractsAvailable(X_CONTRACTS) ? describe : describe.skip;

function cassette(name: string): Interaction[] {
  return JSON.parse(fs.readFileSync(path.join(X_CONTRACTS, 'cassettes-decoded', `${name}.json`), 'utf8'));
}

function postman(folder: string): PostmanExample[] {
  return JSON.parse(fs.readFileSync(path.join(X_CONTRACTS, 'postman-examples', 'x-v2-examples.extracted.json'), 'utf8'))[folder];
}

const keys = (value: object) => Object.keys(value).sort();

// A recorded body with its time and counts replaced, for comparing shapes.
function recordedShape(body: any, summary: Record<string, number>) {
  return { ...body, meta: { ...body.meta, sent: expect.any(String), summary } };
}

async function call503(x: XImitation) {
  const res = await fetch(`${x.url}/2/tweets/search/stream`, { headers: { Authorization: `Bearer ${x.bearerToken}` } });
  return { status: res.status, contentType: res.headers.get('content-type') ?? '', body: await res.json() };
}

describeWithContracts('X contract', () => {
  let contract: OpenApiContract;

  beforeAll(() => {
    contract = OpenApiContract.load(path.join(X_CONTRACTS, SPEC));
  });

  describe('the validator', () => {
    // Paradox never deletes a post or hides a reply.
    const recorded = ['test_client_get_me', 'test_client_get_users_mentions', 'test_client_search_recent_tweets', 'test_client_create_and_delete_tweet', 'test_client_get_tweet'];

    it.each(recorded)('accepts the recorded response bodies Paradox relies on in %s', (name) => {
      const checked = cassette(name).filter(({ request }) => request.method !== 'DELETE');
      expect(checked.length).toBeGreaterThan(0);
      const errors = checked.flatMap(({ request, response }) => contract.responseErrors(request.method, new URL(request.uri).pathname, response.status, response.body));
      expect(errors).toEqual([]);
    });

    it("accepts X's own JSON examples of a post lookup and a recent search, a deleted post among them", () => {
      const examples = [
        ...postman('/Tweet Lookup/Single Tweet').map((e) => ['/2/tweets/1', e] as const),
        ...postman('/Search Tweets/Recent search').map((e) => ['/2/tweets/search/recent', e] as const),
      ].filter(([, e]) => e.headers['content-type']?.includes('json'));
      expect(examples.length).toBeGreaterThan(5);
      for (const [at, e] of examples) expect({ example: e.name, errors: contract.responseErrors('GET', at, e.status, e.body) }).toEqual({ example: e.name, errors: [] });
    });

    it("accepts X's own examples of the stream's rules and of its refused connection", () => {
      const examples = [
        ...postman('/Filtered Stream/Retrieve Rules').map((e) => ['GET', e] as const),
        ...postman('/Filtered Stream/Add Rules').map((e) => ['POST', e] as const),
      ];
      expect(examples.length).toBeGreaterThan(8);
      for (const [method, e] of examples) {
        // X answers 201 for rules created (as recorded); the document names the same body 200.
        const status = e.status === 201 ? 200 : e.status;
        // Problems are recorded as application/json; the document has them as problem+json.
        const contentType = e.status >= 400 ? 'application/problem+json' : 'application/json';
        expect({ example: e.name, errors: contract.responseErrors(method, '/2/tweets/search/stream/rules', status, e.body, contentType) }).toEqual({ example: e.name, errors: [] });
      }
      const [refused] = postman('/Filtered Stream/Stream (see description)');
      expect(refused.body.connection_issue).toBe('TooManyConnections');
      expect(contract.responseErrors('GET', '/2/tweets/search/stream', 429, refused.body, 'application/problem+json')).toEqual([]);
    });

    it('rejects a streamed post whose matching rule has no id', () => {
      const message = { data: { id: '1', text: 'hi', edit_history_tweet_ids: ['1'] }, matching_rules: [{ tag: 'paradox:acme-x:mentions' }] };
      expect(contract.responseErrors('GET', '/2/tweets/search/stream', 200, message)).toEqual([expect.stringContaining("required property 'id'")]);
    });

    it('rejects a recorded post whose id is a number', () => {
      const page = structuredClone(cassette('test_client_get_users_mentions')[0].response.body);
      page.data[0].id = 1578516295611748353;
      expect(contract.responseErrors('GET', '/2/users/783214/mentions', 200, page)).toEqual([expect.stringContaining('/data/0/id must be string')]);
    });

    it('rejects a problem answered as plain JSON without its title', () => {
      expect(contract.responseErrors('GET', '/2/users/me', 401, { type: 'about:blank', status: 401 }, 'application/problem+json').join('\n')).toContain("required property 'title'");
    });

    it('reports an unknown query parameter and a wrong one', () => {
      expect(contract.requestErrors('GET', '/2/tweets/search/recent', { query: 'acme', max_results: '500', colour: 'red' }, undefined)).toEqual([
        expect.stringMatching(/query parameter "max_results" .*<= 100/),
        expect.stringContaining('unknown query parameter "colour"'),
      ]);
      expect(contract.requestErrors('GET', '/2/users/1/mentions', { 'tweet.fields': 'created_at,colour' }, undefined).join('\n')).toContain('tweet.fields');
    });
  });

  describe('the imitation', () => {
    let x: XImitation;
    let dana: XAccount;

    beforeAll(async () => {
      x = await XImitation.start();
      dana = x.addAccount('dana', { name: 'Dana', followers: 42 });
    });

    afterAll(async () => {
      await x.stop();
    });

    async function call(method: string, pathAndQuery: string, opts: { json?: unknown; token?: string } = {}): Promise<Answer> {
      const headers: Record<string, string> = { Authorization: `Bearer ${opts.token ?? x.accessToken}` };
      if (opts.json !== undefined) headers['Content-Type'] = 'application/json';
      const res = await fetch(`${x.url}${pathAndQuery}`, { method, headers, body: opts.json === undefined ? undefined : JSON.stringify(opts.json), signal: AbortSignal.timeout(5000) });
      const text = await res.text();
      const contentType = res.headers.get('content-type') ?? '';
      return { status: res.status, headers: res.headers, contentType, text, body: contentType.includes('json') ? JSON.parse(text) : undefined };
    }

    function expectContract(method: string, pathAndQuery: string, answer: Answer): void {
      expect(contract.responseErrors(method, pathAndQuery.split('?')[0], answer.status, answer.body, answer.contentType)).toEqual([]);
    }

    function expectRateLimitHeaders(answer: Answer, limit: string): void {
      // As recorded: x-rate-limit-reset in epoch seconds, within the 15-minute window.
      expect(answer.headers.get('x-rate-limit-limit')).toBe(limit);
      expect(answer.headers.get('x-rate-limit-remaining')).toMatch(/^\d+$/);
      const reset = Number(answer.headers.get('x-rate-limit-reset')) * 1000;
      expect(reset - Date.now()).toBeGreaterThan(0);
      expect(reset - Date.now()).toBeLessThanOrEqual(15 * 60_000 + 1000);
    }

    it('answers GET /2/users/me with the brand, in the recorded shape', async () => {
      const me = await call('GET', '/2/users/me');
      expectContract('GET', '/2/users/me', me);
      expect(keys(me.body)).toEqual(keys(cassette('test_client_get_me')[0].response.body));
      expect(keys(me.body.data)).toEqual(keys(cassette('test_client_get_me')[0].response.body.data));
      expect(me.body.data).toEqual({ id: x.brand.id, name: 'Acme', username: 'acme' });
      expectRateLimitHeaders(me, '75');
    });

    it('pages mentions newest first with next_token, in the recorded shape', async () => {
      const posted = Array.from({ length: 12 }, (_, i) => x.post(dana, `@acme order #${i} <still> missing & late`));
      const recorded = cassette('test_client_get_users_mentions')[0].response.body;
      const first = await call('GET', `/2/users/${x.brand.id}/mentions?max_results=5`);
      expectContract('GET', `/2/users/${x.brand.id}/mentions`, first);
      expectRateLimitHeaders(first, '180');
      expect(keys(first.body)).toEqual(['data', 'meta']);
      expect(keys(first.body.meta)).toEqual(keys(recorded.meta));
      for (const item of first.body.data) expect(keys(item)).toEqual(keys(recorded.data[0]));
      expect(first.body.data.map((t: { id: string }) => t.id)).toEqual(posted.slice(7).reverse().map((t) => t.id));
      expect(first.body.data[0].text).toBe('@acme order #11 &lt;still&gt; missing &amp; late');
      expect(first.body.meta).toMatchObject({ result_count: 5, newest_id: posted[11].id, oldest_id: posted[7].id });

      const second = await call('GET', `/2/users/${x.brand.id}/mentions?max_results=5&pagination_token=${first.body.meta.next_token}`);
      expectContract('GET', `/2/users/${x.brand.id}/mentions`, second);
      expect(second.body.meta).toMatchObject({ result_count: 5, newest_id: posted[6].id, oldest_id: posted[2].id, previous_token: expect.any(String) });
      const since = await call('GET', `/2/users/${x.brand.id}/mentions?max_results=5&since_id=${posted[9].id}`);
      expect(since.body.data.map((t: { id: string }) => t.id)).toEqual([posted[11].id, posted[10].id]);
      expect(since.body.meta.next_token).toBeUndefined();
      const none = await call('GET', `/2/users/${x.brand.id}/mentions?since_id=${posted[11].id}`);
      expect(none.body).toEqual({ meta: { result_count: 0 } });
      expectContract('GET', `/2/users/${x.brand.id}/mentions`, none);
    });

    it('searches a conversation with fields and expansions, as in X’s recorded example', async () => {
      const root = x.post(dana, '@acme the app crashes on login');
      const answer = x.post(x.brand, 'which version are you on?', { inReplyTo: root.id });
      const version = x.post(dana, '2.3.1, on Android', { inReplyTo: answer.id });
      const example = postman('/Search Tweets/Recent search').find((e) => e.request.includes('conversation_id'))!;
      // The example's request, less the fields the imitation does not serve (attachments, geo, source, ...).
      const found = await call(
        'GET',
        `/2/tweets/search/recent?query=conversation_id:${root.id}&tweet.fields=author_id,created_at,entities,in_reply_to_user_id,lang,referenced_tweets&expansions=author_id,referenced_tweets.id&user.fields=description,created_at`,
      );
      expect(found.status).toBe(200);
      expectContract('GET', '/2/tweets/search/recent', found);
      expectRateLimitHeaders(found, '300');
      expect(keys(found.body)).toEqual(keys(example.body));
      expect(keys(found.body.includes)).toEqual(keys(example.body.includes));
      expect(keys(found.body.meta)).toEqual(keys(example.body.meta));
      expect(keys(found.body.includes.users[0])).toEqual(keys(example.body.includes.users[0]));
      expect(found.body.data.map((t: { id: string }) => t.id)).toEqual([version.id, answer.id, root.id]);
      const reply = found.body.data.find((t: { id: string }) => t.id === answer.id);
      expect(reply).toMatchObject({ in_reply_to_user_id: dana.id, referenced_tweets: [{ type: 'replied_to', id: root.id }], text: '@dana which version are you on?' });
      expect(found.body.includes.users.map((u: { username: string }) => u.username).sort()).toEqual(['acme', 'dana']);
    });

    it('posts a reply as the brand: 201 with the id and text, as recorded; a second with the same text is refused', async () => {
      const complaint = x.post(dana, '@acme my parcel never came');
      const request = { text: 'Sorry & thanks, we are on it', reply: { in_reply_to_tweet_id: complaint.id } };
      const created = await call('POST', '/2/tweets', { json: request });
      expect(created.status).toBe(201);
      expectContract('POST', '/2/tweets', created);
      expect(keys(created.body)).toEqual(keys(cassette('test_client_create_and_delete_tweet')[0].response.body));
      expect(keys(created.body.data)).toEqual(['id', 'text']);
      expect(created.body.data.text).toBe('@dana Sorry &amp; thanks, we are on it');
      expect(created.headers.get('location')).toBe(`https://api.twitter.com/2/tweets/${created.body.data.id}`);
      expectRateLimitHeaders(created, '100');
      expect(contract.requestErrors('POST', '/2/tweets', {}, request)).toEqual([]);

      const again = await call('POST', '/2/tweets', { json: request });
      expect(again.status).toBe(403);
      expect(again.body.detail).toContain('duplicate content');
      expectContract('POST', '/2/tweets', again);
    });

    it('answers a deleted post with a 200 and a problem, as recorded', async () => {
      const gone = x.post(dana, 'soon gone');
      x.delete(gone.id);
      const answer = await call('GET', `/2/tweets/${gone.id}`);
      expect(answer.status).toBe(200);
      expectContract('GET', `/2/tweets/${gone.id}`, answer);
      const recorded = postman('/Tweet Lookup/Single Tweet').find((e) => e.name.includes('Deleted'))!.body;
      expect(keys(answer.body)).toEqual(keys(recorded));
      // X now names the resource_id as well; the spec requires it.
      expect(keys(answer.body.errors[0])).toEqual([...keys(recorded.errors[0]), 'resource_id'].sort());
    });

    it('answers an expansion of a deleted post beside the data with a problem', async () => {
      const parent = x.post(dana, '@acme first');
      const child = x.post(dana, 'and more', { inReplyTo: parent.id });
      x.delete(parent.id);
      const answer = await call('GET', `/2/tweets/${child.id}?expansions=referenced_tweets.id&tweet.fields=referenced_tweets`);
      expectContract('GET', `/2/tweets/${child.id}`, answer);
      expect(answer.body.data.id).toBe(child.id);
      expect(answer.body.errors).toEqual([expect.objectContaining({ resource_id: parent.id, parameter: 'referenced_tweets.id', title: 'Not Found Error' })]);
    });

    it('refuses a wrong token with a 401 problem, and bad parameters with a 400 problem', async () => {
      const refused = await call('GET', '/2/users/me', { token: 'stolen' });
      expect(refused.status).toBe(401);
      expect(refused.contentType).toContain('application/problem+json');
      expectContract('GET', '/2/users/me', refused);
      const bad = await call('GET', '/2/tweets/search/recent?query=acme&max_results=500');
      expect(bad.status).toBe(400);
      expect(bad.body.type).toBe('https://api.twitter.com/2/problems/invalid-request');
      expectContract('GET', '/2/tweets/search/recent', bad);
    });

    it('answers a 429 as X did in the recorded example: text/plain, remaining 0, an epoch reset', async () => {
      x.failNext('429', { resetInSeconds: 120 });
      const limited = await call('GET', '/2/users/me');
      const recorded = postman('/Tweet Lookup/Single Tweet').find((e) => e.status === 429)!;
      expect(limited.status).toBe(429);
      expect(limited.text).toBe(recorded.body);
      expect(limited.contentType).toBe(recorded.headers['content-type']);
      expect(limited.headers.get('x-rate-limit-remaining')).toBe('0');
      expect(Number(limited.headers.get('x-rate-limit-reset')) - Date.now() / 1000).toBeGreaterThan(110);
    });

    it('answers the rules with the bearer token, in the recorded shapes: 201 for rules created, a problem for each refused', async () => {
      const recordedAdd = postman('/Filtered Stream/Add Rules');
      const empty = await call('GET', '/2/tweets/search/stream/rules', { token: x.bearerToken });
      expectContract('GET', '/2/tweets/search/stream/rules', empty);
      expect(empty.body).toEqual({ meta: { sent: expect.any(String), result_count: 0 } });
      expectRateLimitHeaders(empty, '450');

      const add = { add: [{ value: 'meme has:images' }, { value: '"Acme Shop" -is:retweet', tag: 'paradox:acme-x:search' }] };
      const trial = await call('POST', '/2/tweets/search/stream/rules?dry_run=true', { token: x.bearerToken, json: add });
      expect(trial.status).toBe(201);
      expect(contract.responseErrors('POST', '/2/tweets/search/stream/rules', 200, trial.body, trial.contentType)).toEqual([]);
      expect(keys(trial.body)).toEqual(keys(recordedAdd.find((e) => e.name.includes('Dry Run'))!.body));
      expect(trial.body.meta.summary).toEqual({ created: 2, not_created: 0, valid: 2, invalid: 0 });
      expect(x.streamRules).toEqual([]);
      expectRateLimitHeaders(trial, '100');

      const created = await call('POST', '/2/tweets/search/stream/rules', { token: x.bearerToken, json: add });
      expect(created.status).toBe(201);
      expect(keys(created.body.data[1])).toEqual(keys(recordedAdd.find((e) => e.name.includes('List of Rules'))!.body.data[1]));
      expect(x.streamRules.map((r) => r.value)).toEqual(['meme has:images', '"Acme Shop" -is:retweet']);

      const refused = await call('POST', '/2/tweets/search/stream/rules', { token: x.bearerToken, json: { add: [{ value: '"Acme Shop -is:retweet' }, { value: 'meme has:images' }] } });
      expect(refused.status).toBe(200);
      expect(contract.responseErrors('POST', '/2/tweets/search/stream/rules', 200, refused.body, refused.contentType)).toEqual([]);
      const recordedInvalid = recordedAdd.find((e) => e.name.includes('Invalid Rule'))!.body;
      expect(keys(refused.body)).toEqual(keys(recordedInvalid));
      expect(keys(refused.body.errors[0])).toEqual(keys(recordedInvalid.errors[0]));
      expect(refused.body.meta.summary).toEqual({ created: 0, not_created: 2, valid: 1, invalid: 1 });
      expect(refused.body.errors[1]).toEqual({ value: 'meme has:images', id: x.streamRules[0].id, title: 'DuplicateRule', type: 'https://api.twitter.com/2/problems/duplicate-rules' });

      const listed = await call('GET', '/2/tweets/search/stream/rules', { token: x.bearerToken });
      expect(keys(listed.body)).toEqual(keys(postman('/Filtered Stream/Retrieve Rules')[0].body));
      expect(listed.body.data).toEqual(x.streamRules);
      const deleted = await call('POST', '/2/tweets/search/stream/rules', { token: x.bearerToken, json: { delete: { ids: [x.streamRules[0].id, '1'] } } });
      expectContract('POST', '/2/tweets/search/stream/rules', deleted);
      expect(deleted.body).toEqual(recordedShape(recordedAdd.find((e) => e.name === 'Success 200 - Delete Rule')!.body, { deleted: 1, not_deleted: 1 }));
      const bad = await call('POST', '/2/tweets/search/stream/rules', { token: x.bearerToken, json: { delete: {} } });
      expect(bad.status).toBe(400);
      expect(keys(bad.body)).toEqual(keys(recordedAdd.find((e) => e.name.includes('Bad Request (Delete)'))!.body));
      expectContract('POST', '/2/tweets/search/stream/rules', bad);

      // The brand's user token is the wrong kind for the stream's endpoints.
      const user = await call('GET', '/2/tweets/search/stream/rules');
      expect(user.status).toBe(403);
      expect(user.body.type).toBe('https://api.twitter.com/2/problems/unsupported-authentication');
      expectContract('GET', '/2/tweets/search/stream/rules', user);
    });

    it('streams matching posts as newline-delimited JSON with keep-alives, and refuses a second connection as recorded', async () => {
      const keepAlive = await XImitation.start({ streamKeepAliveMs: 50 });
      try {
        const rule = keepAlive.addRule('@acme -is:retweet', 'paradox:acme-x:mentions');
        keepAlive.addRule('kittens');
        const erin = keepAlive.addAccount('erin', { name: 'Erin' });
        const stop = new AbortController();
        const response = await fetch(`${keepAlive.url}/2/tweets/search/stream?tweet.fields=author_id,created_at&expansions=author_id&user.fields=public_metrics`, {
          headers: { Authorization: `Bearer ${keepAlive.bearerToken}` },
          signal: stop.signal,
        });
        expect(response.status).toBe(200);
        expect(response.headers.get('content-type')).toBe('application/json; charset=utf-8');
        const chunks: string[] = [];
        const reading = (async () => {
          for await (const chunk of response.body!) chunks.push(Buffer.from(chunk).toString('utf8'));
        })().catch(() => undefined);

        const second = await fetch(`${keepAlive.url}/2/tweets/search/stream`, { headers: { Authorization: `Bearer ${keepAlive.bearerToken}` } });
        const recorded = postman('/Filtered Stream/Stream (see description)')[0];
        expect(second.status).toBe(429);
        expect(second.headers.get('content-type')).toBe(recorded.headers['content-type']);
        expect(await second.json()).toEqual(recorded.body);

        const mention = keepAlive.post(erin, '@acme my order & my refund <both> late');
        keepAlive.post(erin, 'nothing to see');
        keepAlive.post(erin, 'kittens @acme');
        await new Promise((resolve) => setTimeout(resolve, 150));
        stop.abort();
        await reading;
        const text = chunks.join('');
        expect(text).toMatch(/\r\n\r\n/);
        const lines = text.split('\r\n').filter((line) => line !== '');
        expect(lines).toHaveLength(2);
        const messages = lines.map((line) => JSON.parse(line));
        for (const message of messages) expect(contract.responseErrors('GET', '/2/tweets/search/stream', 200, message)).toEqual([]);
        expect(keys(messages[0])).toEqual(['data', 'includes', 'matching_rules']);
        expect(messages[0].data).toMatchObject({ id: mention.id, text: '@acme my order &amp; my refund &lt;both&gt; late', author_id: erin.id });
        expect(messages[0].includes.users).toEqual([{ id: erin.id, name: 'Erin', username: 'erin', public_metrics: expect.objectContaining({ followers_count: 0 }) }]);
        expect(messages[0].matching_rules).toEqual([{ id: rule.id, tag: rule.tag }]);
        expect(messages[1].matching_rules).toHaveLength(2);

        keepAlive.refuseStreams('503');
        const unavailable = await call503(keepAlive);
        expect(unavailable.status).toBe(503);
        expect(contract.responseErrors('GET', '/2/tweets/search/stream', 503, unavailable.body, unavailable.contentType)).toEqual([]);
      } finally {
        await keepAlive.stop();
      }
    });

    it('never answers a dropped post, though it made it', async () => {
      const complaint = x.post(dana, '@acme where is my order');
      x.failNext('drop', { path: '/2/tweets', method: 'POST' });
      await expect(
        fetch(`${x.url}/2/tweets`, {
          method: 'POST',
          headers: { Authorization: `Bearer ${x.accessToken}`, 'Content-Type': 'application/json' },
          body: JSON.stringify({ text: 'looking into it', reply: { in_reply_to_tweet_id: complaint.id } }),
          signal: AbortSignal.timeout(300),
        }),
      ).rejects.toMatchObject({ name: 'TimeoutError' });
      expect(x.repliesTo(complaint.id)).toHaveLength(1);
    });
  });

  describe("Paradox's requests", () => {
    let x: XImitation;
    let saved: Record<string, string> | null = null;
    const store: CredentialStore = { read: async () => saved, write: async (c) => void (saved = c) };

    beforeAll(async () => {
      // A public client: the token request names the client in the form, without Basic.
      x = await XImitation.start({ refreshToken: 'refresh-0', clientId: 'paradox-app' });
    });

    afterAll(async () => {
      await x.stop();
    });

    function connector(keywords: string[]): XConnector {
      const settings = Object.assign(new XSourceConfig(), { baseUrl: x.url, accessTokenEnv: 'T_X', refreshTokenEnv: 'T_R', clientIdEnv: 'T_C', keywords, pageSize: 10, timeoutMs: 2000 });
      const source = {
        id: 'acme-x',
        brand: 'acme',
        type: 'x',
        pollSeconds: 60,
        x: settings,
        accessToken: x.accessToken,
        secrets: { accessToken: x.accessToken, refreshToken: 'refresh-0', clientId: 'paradox-app' },
      } as ResolvedSource;
      return new XConnector(source, new TestClock(new Date()), store);
    }

    it('finds nothing wrong with any request Paradox makes', async () => {
      const lena = x.addAccount('lena', { name: 'Lena', followers: 3 });
      const xc = connector(['"Acme Shop" -is:retweet']);
      expect(await xc.ownAccount()).toEqual({ externalId: x.brand.id, handle: '@acme' });
      // The first read starts the cursor at the newest post; what comes after is read in full.
      x.post(lena, '@acme hello');
      const first = await xc.fetchNew({});
      expect(first.posts).toHaveLength(1);
      const complaints = Array.from({ length: 14 }, (_, i) => x.post(lena, `@acme order ${i} from Acme Shop is late`));
      let cursor = first.cursor;
      const seen: string[] = [];
      for (let page = 0; page < 5; page++) {
        const fetched = await xc.fetchNew(cursor);
        seen.push(...fetched.posts.map((p) => p.externalId));
        cursor = fetched.cursor;
        if (!fetched.hasMore) break;
      }
      expect(new Set(seen)).toEqual(new Set(complaints.map((c) => c.id)));
      x.expireAccessTokens();
      const thread = await xc.fetchThread(complaints[0].id);
      expect(thread.map((p) => p.externalId)).toEqual([complaints[0].id]);
      const reply = { kind: 'acknowledgement' as const, text: 'Sorry Lena, looking into it', inReplyTo: { externalId: complaints[0].id, authorHandle: '@lena' }, visibility: 'public' as const, language: 'en', idempotencyKey: 'k', createdAt: new Date() };
      const published = await xc.postReply({ ...reply, attempt: 1 });
      expect(await xc.postReply({ ...reply, attempt: 2 })).toEqual(published);

      const checked = x.requests.filter((r: XRecordedRequest) => r.path !== '/2/oauth2/token');
      expect(new Set(checked.map((r) => `${r.method} ${r.path.replace(/\/\d{4,}/g, '/:id')}`))).toEqual(
        new Set(['GET /2/users/me', 'GET /2/users/:id/mentions', 'GET /2/tweets/search/recent', 'GET /2/tweets/:id', 'POST /2/tweets', 'GET /2/users/:id/tweets']),
      );
      for (const r of checked) {
        expect({ request: `${r.method} ${r.path}`, errors: contract.requestErrors(r.method, r.path, r.query, r.body) }).toEqual({ request: `${r.method} ${r.path}`, errors: [] });
      }
    });

    it('reads a thread whose first post was deleted: the chain ends where X ends it', async () => {
      const lena = x.addAccount('lena2');
      const xc = connector([]);
      const first = x.post(lena, '@acme first');
      const second = x.post(x.brand, 'sorry to hear', { inReplyTo: first.id });
      const third = x.post(lena, 'still broken', { inReplyTo: second.id });
      x.delete(first.id);
      const before = x.requests.length;
      const thread = await xc.fetchThread(third.id);
      expect(thread.map((p) => [p.externalId, p.author.handle, p.inReplyToExternalId])).toEqual([
        [second.id, '@acme', first.id],
        [third.id, '@lena2', second.id],
      ]);
      // X put a problem beside the data for the deleted post among the expansions.
      expect(x.requests.slice(before).some((r) => r.response?.text.includes('"errors"') && r.response.text.includes('"data"'))).toBe(true);
      await expect(xc.postReply({ kind: 'acknowledgement', attempt: 1, text: 'hello', inReplyTo: { externalId: first.id, authorHandle: '@lena2' }, visibility: 'public', language: 'en', idempotencyKey: 'k2', createdAt: new Date() })).rejects.toMatchObject({
        code: 'BAD_RESPONSE',
        message: 'POST /2/tweets: HTTP 403: Forbidden: You attempted to reply to a Tweet that is deleted or not visible to you.',
      });
    });

    it('finds nothing wrong with the requests of a streaming source: its rules and the stream', async () => {
      const rules = await XImitation.start();
      const settings = Object.assign(new XSourceConfig(), { baseUrl: rules.url, accessTokenEnv: 'T_X', bearerTokenEnv: 'T_B', streaming: true, keywords: ['"Acme Shop" -is:retweet'], timeoutMs: 2000 });
      // One rule of a former config, to be deleted; the new ones tried with dry_run, then added.
      rules.addRule('"Old Name"', 'paradox:acme-x:search:"Old Name"');
      const source = { id: 'acme-x', brand: 'acme', type: 'x', pollSeconds: 60, x: settings, accessToken: rules.accessToken, secrets: { accessToken: rules.accessToken, bearerToken: rules.bearerToken } } as ResolvedSource;
      const stop = new XConnector(source, new TestClock(new Date()), store).watch(() => undefined);
      try {
        const started = Date.now();
        while (rules.openStreams === 0 && Date.now() - started < 5000) await new Promise((resolve) => setTimeout(resolve, 20));
        const checked = rules.requests.filter((r) => r.path.startsWith('/2/tweets/search/stream'));
        expect(checked.map((r) => `${r.method} ${r.path}${r.query.dry_run ? ' dry_run' : ''}`)).toEqual([
          'GET /2/tweets/search/stream/rules',
          'POST /2/tweets/search/stream/rules dry_run',
          'POST /2/tweets/search/stream/rules',
          'POST /2/tweets/search/stream/rules',
          'GET /2/tweets/search/stream',
        ]);
        for (const r of checked) {
          expect({ request: `${r.method} ${r.path}`, errors: contract.requestErrors(r.method, r.path, r.query, r.body) }).toEqual({ request: `${r.method} ${r.path}`, errors: [] });
          expect(r.headers.authorization).toBe(`Bearer ${rules.bearerToken}`);
        }
        for (const r of checked.filter((c) => c.path.endsWith('/rules'))) {
          expect(contract.responseErrors(r.method, r.path, r.status === 201 ? 200 : r.status!, JSON.parse(r.response!.text), r.response!.contentType)).toEqual([]);
        }
      } finally {
        stop();
        await rules.stop();
      }
    });

    it('renews the token as a public client: the form names the client, and nothing else authenticates it', () => {
      const [renewal] = x.requests.filter((r) => r.path === '/2/oauth2/token');
      expect(renewal).toMatchObject({ method: 'POST', bodyEncoding: 'form', status: 200 });
      expect(renewal.headers['content-type']).toBe('application/x-www-form-urlencoded');
      expect(renewal.headers.authorization).toBeUndefined();
      expect(renewal.body).toEqual({ grant_type: 'refresh_token', refresh_token: 'refresh-0', client_id: 'paradox-app' });
      expect(saved).toMatchObject({ refreshToken: x.refreshToken, accessToken: expect.any(String) });
    });
  });
});
