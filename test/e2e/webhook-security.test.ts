import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { LoggerService } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { queue } from '../support/flow.js';
import { TestClock } from '../support/test-clock.js';
import { startTestApp, type TestApp } from '../support/test-app.js';
import { delivery, WEBHOOK_SECRET, WebhookClient, webhookSecrets, webhookSources } from '../support/webhook-client.js';

const OTHER_SECRET = 'whsec_second_source_0d3c5b7a9e1f';
const LEVELS = ['log', 'error', 'warn', 'debug', 'verbose', 'fatal'] as const;

describe('the signed webhook refuses what it must, and stores nothing then', () => {
  let t: TestApp;
  let clock: TestClock;
  let feedback: WebhookClient;
  let survey: WebhookClient;
  let db: DataSource;
  const logs: string[] = [];
  const anna = { id: 'cust-1', handle: 'anna', name: 'Anna de Vries' };
  const complaint = 'My order arrived broken and nobody answers my emails, this is terrible service';
  const posts = async () => Number((await db.query('SELECT count(*)::int AS n FROM post'))[0].n);
  const source = async (id: string) => (await t.as('agent').get('/sources')).data.find((s: { id: string }) => s.id === id);

  beforeAll(async () => {
    clock = new TestClock(new Date());
    const file = webhookSources([{ id: 'acme-feedback' }, { id: 'acme-survey' }]);
    // A source of another type, whose id the webhook URL must not answer to.
    const mastodon = { id: 'acme-mastodon', brand: 'acme', type: 'mastodon', mastodon: { baseUrl: 'http://127.0.0.1:9', accessTokenEnv: 'T_MASTODON', streaming: false } };
    t = await startTestApp({ ...file, sources: [...file.sources, mastodon] }, { clock, env: { ...webhookSecrets(2, [WEBHOOK_SECRET, OTHER_SECRET]), T_MASTODON: 'mastodon-token' } });
    // Every line the app logs, at every level, to look for secrets in.
    const capture: LoggerService = Object.fromEntries(LEVELS.map((level) => [level, (...parts: unknown[]) => void logs.push(`${level} ${parts.map(String).join(' ')}`)])) as unknown as LoggerService;
    t.app.useLogger(capture);
    t.app.useLogger([...LEVELS]);
    db = t.app.get(DataSource);
    feedback = new WebhookClient(t.url, 'acme-feedback', WEBHOOK_SECRET, () => clock.now());
    survey = new WebhookClient(t.url, 'acme-survey', OTHER_SECRET, () => clock.now());
  });

  afterAll(async () => {
    await t?.close();
  });

  it('refuses a forged signature with 401 and stores nothing, counting it without calling the source unhealthy', async () => {
    const forged = await feedback.send(delivery(complaint, anna), { secret: 'guessed-secret' });
    expect(forged.status).toBe(401);
    expect(forged.data.code).toBe('WEBHOOK.BAD_SIGNATURE');
    expect(await posts()).toBe(0);

    const unsigned = await feedback.send(delivery(complaint, anna), { unsigned: true });
    expect(unsigned.status).toBe(401);
    expect(unsigned.data.code).toBe('WEBHOOK.UNSIGNED');
    expect(await posts()).toBe(0);

    const state = await source('acme-feedback');
    expect(state).toMatchObject({ healthy: true, consecutiveFailures: 2, lastSuccessAt: null });
    expect(state.lastError).toMatch(/^WEBHOOK\.UNSIGNED: /);
  });

  it('refuses a body changed after it was signed', async () => {
    const signed = delivery('Thanks, all good', anna);
    const tampered = await feedback.send(signed, { sendInstead: JSON.stringify({ ...signed, text: complaint }) });
    expect(tampered.status).toBe(401);
    expect(tampered.data.code).toBe('WEBHOOK.BAD_SIGNATURE');
    expect(await posts()).toBe(0);
  });

  it('refuses a timestamp outside the tolerance either way, however well signed', async () => {
    const now = Math.floor(clock.now().getTime() / 1000);
    for (const timestamp of [now - 301, now + 301]) {
      const response = await feedback.send(delivery(complaint, anna), { timestamp });
      expect({ timestamp, status: response.status, code: response.data.code }).toEqual({ timestamp, status: 401, code: 'WEBHOOK.STALE' });
    }
    expect((await feedback.send(delivery(complaint, anna), { timestamp: now - 290 })).status).toBe(202);
    expect(await posts()).toBe(1);
  });

  it('stores a replayed delivery once, and refuses the replay once the window has passed', async () => {
    const first = delivery('The app charged me twice for one order and support does not answer', { id: 'cust-2', handle: 'tom' });
    const accepted = await feedback.send(first);
    expect(accepted.status).toBe(202);
    expect(accepted.data).toMatchObject({ duplicate: false, caseId: expect.any(String), postId: expect.any(String) });
    const count = await posts();

    const again = await feedback.send(first);
    expect(again.status).toBe(200);
    expect(again.data).toEqual({ ...accepted.data, duplicate: true });
    expect(await posts()).toBe(count);
    expect((await queue(t)).filter((c) => c.customer.handle === 'tom')).toHaveLength(1);

    clock.advance(6 * 60_000);
    const late = await feedback.send(first, { timestamp: Math.floor(clock.now().getTime() / 1000) - 360 });
    expect(late.status).toBe(401);
    expect(late.data.code).toBe('WEBHOOK.STALE');
    expect(await posts()).toBe(count);
  });

  it('stores a delivery sent five times at once once, and answers each with the same post and case', async () => {
    const count = await posts();
    const burst = delivery('Third time my order is cancelled without a word, I want my money back', { id: 'cust-3', handle: 'eva' });
    const answers = await Promise.all(Array.from({ length: 5 }, () => feedback.send(burst)));
    expect(answers.map((a) => a.status).sort()).toEqual([200, 200, 200, 200, 202]);
    expect(new Set(answers.map((a) => `${a.data.postId} ${a.data.caseId}`)).size).toBe(1);
    expect(answers[0].data.caseId).toEqual(expect.any(String));
    expect(await posts()).toBe(count + 1);
  });

  it('keeps the deliveries of two sources apart when their callers use the same ids', async () => {
    const shared = { id: 'same-id-1', text: complaint, author: { id: 'same-customer', handle: 'kim' } };
    const a = await feedback.send(shared);
    const b = await survey.send(shared);
    expect([a.status, b.status]).toEqual([202, 202]);
    expect(a.data.postId).not.toBe(b.data.postId);
    const rows = await db.query(`SELECT p.source_id, p.external_id, a.external_id AS author FROM post p JOIN author a ON a.id = p.author_id WHERE p.external_id LIKE '%:same-id-1' ORDER BY 1`);
    expect(rows).toEqual([
      { source_id: 'acme-feedback', external_id: 'acme-feedback:same-id-1', author: 'acme-feedback:same-customer' },
      { source_id: 'acme-survey', external_id: 'acme-survey:same-id-1', author: 'acme-survey:same-customer' },
    ]);
    // Each source's own secret: the other's does not open it.
    expect((await survey.send(delivery(complaint, anna), { secret: WEBHOOK_SECRET })).status).toBe(401);
  });

  it('answers 404 for an unknown source and for a source that is not a webhook, alike', async () => {
    const count = await posts();
    for (const id of ['acme-nothing', 'acme-mastodon']) {
      const response = await new WebhookClient(t.url, id, WEBHOOK_SECRET, () => clock.now()).send(delivery(complaint, anna));
      expect({ id, status: response.status, code: response.data.code }).toEqual({ id, status: 404, code: 'WEBHOOK.SOURCE_NOT_FOUND' });
    }
    expect(await posts()).toBe(count);
  });

  it('answers an invalid signed payload with a 400 naming the fields, and calls the source unhealthy until one is accepted', async () => {
    const count = await posts();
    const noAuthorId = await feedback.send({ id: 'bad-1', text: complaint, author: { handle: 'x' } });
    expect(noAuthorId.status).toBe(400);
    expect(noAuthorId.data.fields.map((f: { field: string }) => f.field)).toEqual(['author.id']);

    const several = await feedback.send({ id: 'bad-2', text: '', author: { id: 'c' }, url: 'http://insecure.example/x', language: 'english', postedAt: 'yesterday', extra: 1 });
    expect(several.status).toBe(400);
    expect(several.data.fields.map((f: { field: string }) => f.field).sort()).toEqual(['extra', 'language', 'postedAt', 'text', 'url']);

    const tooLong = await feedback.send({ id: 'bad-3', text: 'x'.repeat(10_001), author: { id: 'c' } });
    expect(tooLong.data.fields.map((f: { field: string }) => f.field)).toEqual(['text']);

    const noAuthor = await feedback.send({ id: 'bad-4', text: complaint });
    expect(noAuthor.data.fields.map((f: { field: string }) => f.field)).toEqual(['author']);

    const list = await feedback.send([{ id: 'bad-5', text: complaint, author: anna }]);
    expect(list.status).toBe(400);
    expect(list.data.fields).toEqual([{ field: 'body', problems: ['a JSON object'] }]);

    expect(await posts()).toBe(count);
    expect(await source('acme-feedback')).toMatchObject({ healthy: false });
    expect((await source('acme-feedback')).lastError).toMatch(/^WEBHOOK\.INVALID_PAYLOAD: /);

    expect((await feedback.send(delivery(complaint, anna))).status).toBe(202);
    expect(await source('acme-feedback')).toMatchObject({ healthy: true, consecutiveFailures: 0, lastSuccessAt: clock.now().toISOString() });
  });

  it('refuses a body over 100 kB and a body that is not JSON, before looking at it', async () => {
    const count = await posts();
    const huge = await feedback.send({ id: 'huge', text: 'x'.repeat(9_000), author: anna, padding: 'y'.repeat(120_000) });
    expect(huge.status).toBe(413);
    const form = await feedback.send(null, { raw: 'id=1&text=broken', contentType: 'application/x-www-form-urlencoded' });
    expect(form.status).toBe(415);
    expect(form.data.code).toBe('WEBHOOK.CONTENT_TYPE');
    const text = await feedback.send(null, { raw: complaint, contentType: 'text/plain' });
    expect(text.status).toBe(415);
    const broken = await feedback.send(null, { raw: '{"id": "x", "text": ' });
    expect(broken.status).toBe(400);
    expect(await posts()).toBe(count);
  });

  it('takes a well-formed post as text, never as markup', async () => {
    const markup = '<script>alert(1)</script> my refund is <b>still</b> missing and nobody helps';
    const response = await feedback.send(delivery(markup, { id: 'cust-9', name: '<img src=x onerror=alert(1)>' }));
    expect(response.status).toBe(202);
    const [row] = await db.query('SELECT text FROM post WHERE id = $1', [response.data.postId]);
    expect(row.text).toBe(markup);
  });

  it('documents the delivery, its signature headers and its answers in the OpenAPI document', async () => {
    const doc = (await t.anonymous.get('/docs/json')).data;
    const operation = doc.paths['/webhooks/{sourceId}'].post;
    expect(operation.security ?? []).toEqual([]);
    expect(operation.parameters.filter((p: { in: string }) => p.in === 'header').map((p: { name: string }) => p.name).sort()).toEqual(['X-Paradox-Signature', 'X-Paradox-Timestamp']);
    expect(Object.keys(operation.responses).sort()).toEqual(['200', '202', '400', '401', '404', '413', '415']);
    const delivery = doc.components.schemas.WebhookDelivery;
    expect(delivery.required.sort()).toEqual(['author', 'id', 'text']);
    expect(Object.keys(delivery.properties).sort()).toEqual(['author', 'id', 'inReplyTo', 'language', 'postedAt', 'text', 'url']);
    expect(doc.components.schemas.WebhookAuthor.required).toEqual(['id']);
  });

  it('never shows a secret or a signature in a response or a log line', async () => {
    expect(logs.some((line) => line.includes('refused a delivery'))).toBe(true);
    const signatures = [...feedback.sent, ...survey.sent].map((r) => r.signature?.slice('sha256='.length)).filter((s): s is string => !!s);
    expect(signatures.length).toBeGreaterThan(10);
    const responses = [...feedback.sent, ...survey.sent].map((r) => r.text);
    responses.push(JSON.stringify((await t.as('manager').get('/sources')).data), JSON.stringify((await t.anonymous.get('/docs/json')).data));
    for (const secret of [WEBHOOK_SECRET, OTHER_SECRET, ...signatures]) {
      expect(logs.filter((line) => line.includes(secret))).toEqual([]);
      expect(responses.filter((text) => text.includes(secret))).toEqual([]);
    }
  });
});
