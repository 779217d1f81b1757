import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { type ImitationAccount, MastodonImitation } from '../support/mastodon-imitation.js';
import { MASTODON_CONTRACTS, OpenApiContract, contractsAvailable } from '../support/openapi-contract.js';

interface Interaction {
  request: { method: string; uri: string; body: unknown };
  response: { status: number; headers: Record<string, string>; body: unknown };
}

interface Answer {
  status: number;
  headers: Headers;
  text: string;
  body: any;
}

const describeWithContracts = contractsAvailable(MASTODON_CONTRACTS) ? describe : describe.skip;

function cassette(name: string): Interaction[] {
  return JSON.parse(fs.readFileSync(path.join(MASTODON_CONTRACTS, 'cassettes-decoded', `${name}.json`), 'utf8'));
}

function links(header: string | null): Record<string, string> {
  return Object.fromEntries([...(header ?? '').matchAll(/<([^>]+)>; rel="(\w+)"/g)].map(([, url, rel]) => [rel, url]));
}

function cursorOf(url: string, key: string): string | null {
  return new URL(url).searchParams.get(key);
}

describeWithContracts('Mastodon contract', () => {
  let contract: OpenApiContract;

  beforeAll(() => {
    contract = OpenApiContract.load(path.join(MASTODON_CONTRACTS, 'openapi', 'mastodon-openapi.schema.json'));
  });

  describe('the validator', () => {
    const recorded = [
      'test_notifications_mentions_only',
      'test_status_reply',
      'test_status_context',
      'test_hashtag_tl',
      'test_get_pagination_info',
      'test_min_max_id',
      'test_toot',
    ];

    // Paradox never deletes (Mastodon answers DELETE with `text` in place of the required `content`) and never reads
    // /api/v2/instance (its recorded contact email is "", which the spec's email format rejects).
    const usedByParadox = ({ request }: Interaction) => request.method !== 'DELETE' && !request.uri.includes('/api/v2/instance');

    it.each(recorded)('accepts the recorded response bodies Paradox relies on in %s', (name) => {
      const checked = cassette(name).filter(usedByParadox);
      const errors = checked.flatMap(({ request, response }) =>
        contract.responseErrors(request.method, new URL(request.uri).pathname, response.status, response.body),
      );
      expect(checked.length).toBeGreaterThan(0);
      expect(errors).toEqual([]);
    });

    it('rejects a recorded status whose id is a number', () => {
      const status = structuredClone(cassette('test_toot')[0].response.body) as Record<string, unknown>;
      status.id = 5;
      expect(contract.responseErrors('GET', '/api/v1/statuses/5', 200, status)).toEqual([
        expect.stringContaining('/id must be string'),
      ]);
    });

    it('rejects a recorded notification without its account', () => {
      const [notification] = structuredClone(cassette('test_notifications_mentions_only')[1].response.body) as Record<string, unknown>[];
      delete notification.account;
      expect(contract.responseErrors('GET', '/api/v1/notifications', 200, [notification]).join('\n')).toContain("required property 'account'");
    });

    it('reports an operation the contract does not have', () => {
      expect(contract.responseErrors('GET', '/api/v1/nonsense', 200, {})).toHaveLength(1);
    });
  });

  describe('the imitation', () => {
    let mastodon: MastodonImitation;
    let customer: ImitationAccount;

    beforeAll(async () => {
      mastodon = await MastodonImitation.start();
      customer = mastodon.addAccount('dana', { displayName: 'Dana', followers: 42 });
    });

    afterAll(async () => {
      await mastodon.stop();
    });

    async function call(
      method: string,
      pathAndQuery: string,
      opts: { json?: unknown; form?: Record<string, string>; headers?: Record<string, string>; timeoutMs?: number; token?: string } = {},
    ): Promise<Answer> {
      const headers: Record<string, string> = { Authorization: `Bearer ${opts.token ?? mastodon.accessToken}`, ...opts.headers };
      let body: string | undefined;
      if (opts.json !== undefined) {
        headers['Content-Type'] = 'application/json';
        body = JSON.stringify(opts.json);
      } else if (opts.form) {
        headers['Content-Type'] = 'application/x-www-form-urlencoded';
        body = new URLSearchParams(opts.form).toString();
      }
      const res = await fetch(`${mastodon.url}${pathAndQuery}`, {
        method,
        headers,
        body,
        signal: AbortSignal.timeout(opts.timeoutMs ?? 5000),
      });
      const text = await res.text();
      const json = res.headers.get('content-type')?.includes('json') ? safeParse(text) : undefined;
      return { status: res.status, headers: res.headers, text, body: json };
    }

    function safeParse(text: string): unknown {
      try {
        return JSON.parse(text);
      } catch {
        return undefined;
      }
    }

    function expectContract(method: string, pathAndQuery: string, answer: Answer): void {
      expect(contract.responseErrors(method, pathAndQuery, answer.status, answer.body)).toEqual([]);
    }

    it('answers verify_credentials with the brand as a CredentialAccount', async () => {
      const answer = await call('GET', '/api/v1/accounts/verify_credentials');
      expect(answer.status).toBe(200);
      expect(answer.body).toMatchObject({ id: mastodon.brand.id, username: 'acme', acct: 'acme', source: { privacy: 'public' } });
      expectContract('GET', '/api/v1/accounts/verify_credentials', answer);
      expect(answer.headers.get('x-ratelimit-limit')).toBe('300');
      expect(answer.headers.get('x-ratelimit-reset')).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}Z$/);
    });

    it('refuses a wrong access token with 401', async () => {
      const answer = await call('GET', '/api/v1/notifications', { token: 'stolen' });
      expect(answer.status).toBe(401);
      expect(answer.body).toEqual({ error: 'The access token is invalid' });
      expectContract('GET', '/api/v1/notifications', answer);
    });

    it('pages mention notifications newest first, with max_id, since_id and min_id as Mastodon does', async () => {
      const posted = [1, 2, 3, 4, 5].map((n) => mastodon.post(customer, `@acme order #${n} <still> missing & "late"`));
      expect(posted[0].content).toBe(
        `<p><span class="h-card" translate="no"><a href="${mastodon.url}/@acme" class="u-url mention">@<span>acme</span></a></span>` +
          ' order #1 &lt;still&gt; missing &amp; &quot;late&quot;</p>',
      );
      const orderOf = (answer: Answer) => answer.body.map((n: any) => Number(/order #(\d)/.exec(n.status.content)?.[1]));

      const first = await call('GET', '/api/v1/notifications?types[]=mention&limit=2');
      expect(first.status).toBe(200);
      expectContract('GET', '/api/v1/notifications', first);
      expect(orderOf(first)).toEqual([5, 4]);
      expect(first.body[0]).toMatchObject({ type: 'mention', account: { id: customer.id }, status: { id: posted[4].id } });
      const firstLinks = links(first.headers.get('link'));
      expect(cursorOf(firstLinks.next, 'max_id')).toBe(first.body[1].id);
      expect(cursorOf(firstLinks.prev, 'min_id')).toBe(first.body[0].id);
      expect(new URL(firstLinks.next).searchParams.getAll('types[]')).toEqual(['mention']);

      const second = await call('GET', new URL(firstLinks.next).pathname + new URL(firstLinks.next).search);
      expect(orderOf(second)).toEqual([3, 2]);
      const third = await call('GET', `/api/v1/notifications?limit=2&max_id=${second.body[1].id}`);
      expect(orderOf(third)).toEqual([1]);
      const past = await call('GET', `/api/v1/notifications?limit=2&max_id=${third.body[0].id}`);
      expect(past.body).toEqual([]);
      expect(past.headers.get('link')).toBeNull();

      const oldest = third.body[0].id;
      const afterCursor = await call('GET', `/api/v1/notifications?types[]=mention&limit=2&min_id=${oldest}`);
      expect(orderOf(afterCursor)).toEqual([3, 2]);
      expectContract('GET', '/api/v1/notifications', afterCursor);
      const newestSince = await call('GET', `/api/v1/notifications?limit=2&since_id=${oldest}`);
      expect(orderOf(newestSince)).toEqual([5, 4]);
      const excluded = await call('GET', '/api/v1/notifications?exclude_types[]=mention');
      expect(excluded.body).toEqual([]);
    });

    it('serves a tag timeline of public statuses, case-insensitively', async () => {
      const tagged = mastodon.post(customer, 'Still waiting #AcmeFail https://example.com/orders/12345/tracking?ref=mastodon');
      mastodon.post(customer, 'quietly #acmefail', { visibility: 'unlisted' });
      mastodon.post(customer, 'no tag here');
      const answer = await call('GET', '/api/v1/timelines/tag/acmefail');
      expect(answer.status).toBe(200);
      expectContract('GET', '/api/v1/timelines/tag/acmefail', answer);
      expect(answer.body.map((s: any) => s.id)).toEqual([tagged.id]);
      expect(answer.body[0].tags).toEqual([{ name: 'acmefail', url: `${mastodon.url}/tags/acmefail` }]);
      expect(cursorOf(links(answer.headers.get('link')).next, 'max_id')).toBe(tagged.id);
    });

    it('posts a reply as the brand and honours Idempotency-Key', async () => {
      const complaint = mastodon.post(customer, '@acme my parcel never came');
      const request = {
        json: { status: '@dana sorry, we are on it', in_reply_to_id: complaint.id, visibility: 'public' },
        headers: { 'Idempotency-Key': 'case-7-reply-1' },
      };
      const reply = await call('POST', '/api/v1/statuses', request);
      expect(reply.status).toBe(200);
      expectContract('POST', '/api/v1/statuses', reply);
      expect(reply.body).toMatchObject({
        in_reply_to_id: complaint.id,
        in_reply_to_account_id: customer.id,
        account: { id: mastodon.brand.id },
        mentions: [{ id: customer.id, acct: 'dana' }],
        pinned: false,
      });

      const repeat = await call('POST', '/api/v1/statuses', request);
      expect(repeat.status).toBe(200);
      expect(repeat.body.id).toBe(reply.body.id);
      expect(mastodon.repliesTo(complaint.id).map((s) => s.id)).toEqual([reply.body.id]);

      const form = await call('POST', '/api/v1/statuses', { form: { status: 'a second answer', in_reply_to_id: complaint.id } });
      expect(form.status).toBe(200);
      expect(mastodon.repliesTo(complaint.id)).toHaveLength(2);
      expect(mastodon.statusesBy(mastodon.brand).map((s) => s.id)).toEqual([reply.body.id, form.body.id]);
    });

    it('refuses a blank status with 422 and an unknown parent with 404', async () => {
      const blank = await call('POST', '/api/v1/statuses', { json: { status: '  ' } });
      expect(blank.status).toBe(422);
      expect(blank.body).toEqual({ error: "Validation failed: Text can't be blank" });
      const orphan = await call('POST', '/api/v1/statuses', { json: { status: 'hi', in_reply_to_id: '99' } });
      expect(orphan.status).toBe(404);
      expect(orphan.body).toEqual({ error: 'Record not found' });
      expectContract('POST', '/api/v1/statuses', orphan);
      expect((await call('GET', '/api/v1/nothing/here')).status).toBe(404);
    });

    it('serves a status and its context', async () => {
      const root = mastodon.post(customer, '@acme the app crashes');
      const answer = mastodon.post(mastodon.brand, '@dana which version?', { inReplyToId: root.id });
      const followUp = mastodon.post(customer, '@acme 2.3.1', { inReplyToId: answer.id });

      const single = await call('GET', `/api/v1/statuses/${answer.id}`);
      expectContract('GET', `/api/v1/statuses/${answer.id}`, single);
      expect(single.body).toMatchObject({ id: answer.id, replies_count: 1 });

      const context = await call('GET', `/api/v1/statuses/${answer.id}/context`);
      expect(context.status).toBe(200);
      expectContract('GET', `/api/v1/statuses/${answer.id}/context`, context);
      expect(context.body.ancestors.map((s: any) => s.id)).toEqual([root.id]);
      expect(context.body.descendants.map((s: any) => s.id)).toEqual([followUp.id]);
      expect((await call('GET', '/api/v1/statuses/123/context')).status).toBe(404);
    });

    describe('faults', () => {
      it('answers 429 with an ISO reset time, then recovers', async () => {
        mastodon.failNext('429', { resetInMs: 2000 });
        const limited = await call('GET', '/api/v1/notifications');
        expect(limited.status).toBe(429);
        expect(limited.body).toEqual({ error: 'Too many requests' });
        expect(limited.headers.get('x-ratelimit-remaining')).toBe('0');
        const reset = limited.headers.get('x-ratelimit-reset') ?? '';
        expect(reset).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}Z$/);
        expect(Date.parse(reset) - Date.now()).toBeGreaterThan(1000);
        expect(Date.parse(reset) - Date.now()).toBeLessThanOrEqual(2000);
        expectContract('GET', '/api/v1/notifications', limited);
        expect((await call('GET', '/api/v1/notifications')).status).toBe(200);
      });

      it('answers 500 only on the path it was aimed at', async () => {
        mastodon.failNext('500', { pathPrefix: '/api/v1/statuses' });
        expect((await call('GET', '/api/v1/notifications')).status).toBe(200);
        expect((await call('POST', '/api/v1/statuses', { json: { status: 'hello' } })).status).toBe(500);
        expect((await call('POST', '/api/v1/statuses', { json: { status: 'hello' } })).status).toBe(200);
      });

      it('answers 200 with a body that is not JSON when malformed', async () => {
        mastodon.failNext('malformed');
        const answer = await call('GET', '/api/v1/notifications');
        expect(answer.status).toBe(200);
        expect(answer.headers.get('content-type')).toContain('application/json');
        expect(() => JSON.parse(answer.text)).toThrow();
      });

      it('never answers when timing out', async () => {
        mastodon.failNext('timeout');
        await expect(call('GET', '/api/v1/notifications', { timeoutMs: 300 })).rejects.toMatchObject({ name: 'TimeoutError' });
        expect(mastodon.requests.at(-1)?.status).toBeNull();
        expect((await call('GET', '/api/v1/notifications')).status).toBe(200);
      });

      it('counts the rate limit down and answers 429 when it is spent', async () => {
        const tight = await MastodonImitation.start({ rateLimit: 2 });
        try {
          const get = () => fetch(`${tight.url}/api/v1/notifications`, { headers: { Authorization: `Bearer ${tight.accessToken}` } });
          const remaining = [];
          for (let i = 0; i < 3; i++) {
            const res = await get();
            remaining.push([res.status, res.headers.get('x-ratelimit-remaining')]);
          }
          expect(remaining).toEqual([
            [200, '1'],
            [200, '0'],
            [429, '0'],
          ]);
        } finally {
          await tight.stop();
        }
      });
    });

    describe('recorded requests against the contract', () => {
      it('finds nothing wrong with the requests Paradox makes', async () => {
        await call('GET', '/api/v1/notifications?types[]=mention&min_id=1&limit=40');
        const get = mastodon.requests.at(-1)!;
        expect(get.query).toEqual({ 'types[]': ['mention'], min_id: '1', limit: '40' });
        expect(contract.requestErrors(get.method, get.path, get.query, get.body)).toEqual([]);

        const complaint = mastodon.post(customer, '@acme refund please');
        await call('POST', '/api/v1/statuses', { json: { status: '@dana done', in_reply_to_id: complaint.id, visibility: 'public', language: 'en' } });
        const json = mastodon.requests.at(-1)!;
        expect(contract.requestErrors(json.method, json.path, json.query, json.body)).toEqual([]);

        await call('POST', '/api/v1/statuses', { form: { status: '@dana done', in_reply_to_id: complaint.id, sensitive: 'false' } });
        const form = mastodon.requests.at(-1)!;
        expect(form.body).toEqual({ status: '@dana done', in_reply_to_id: complaint.id, sensitive: 'false' });
        expect(contract.requestErrors(form.method, form.path, form.query, form.body, 'form')).toEqual([]);
      });

      it('reports unknown parameters, wrong types and unknown body fields', async () => {
        await call('GET', '/api/v1/notifications?bogus=1&limit=many');
        const get = mastodon.requests.at(-1)!;
        const errors = contract.requestErrors(get.method, get.path, get.query, get.body);
        expect(errors).toEqual([
          expect.stringContaining('unknown query parameter "bogus"'),
          expect.stringMatching(/query parameter "limit" .*integer/),
        ]);
        expect(contract.requestErrors('POST', '/api/v1/statuses', {}, { status: 'hi', colour: 'red' })).toEqual([
          expect.stringContaining('unknown request body field "colour"'),
        ]);
        expect(contract.requestErrors('POST', '/api/v1/statuses', {}, { status: 7 }).join('\n')).toContain('must be string');
      });
    });
  });
});
