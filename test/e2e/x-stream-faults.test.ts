import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, afterEach, beforeAll, describe, expect, it } from '@jest/globals';
import { Logger } from '@nestjs/common';
import { SystemClock } from '../../src/common/clock.js';
import type { ResolvedSource } from '../../src/config/app-config.js';
import { XSourceConfig } from '../../src/config/config.schema.js';
import { XConnector } from '../../src/sources/connectors/x/x.connector.js';
import type { XStreamTiming } from '../../src/sources/connectors/x/x-stream.js';
import type { CredentialStore } from '../../src/sources/source-credentials.js';
import { type XAccount, XImitation, type XRecordedRequest } from '../support/x-imitation.js';

const STREAM = '/2/tweets/search/stream';
const RULES = '/2/tweets/search/stream/rules';
// X's timings scaled down to keep the test short: a keep-alive every 100 ms and a stall after 400;
// network errors +200 ms an attempt (long enough to tell from reconnecting at once), HTTP errors
// from 300 ms doubling, a 429 from 800 ms doubling.
const TIMING: XStreamTiming = { stallMs: 400, networkStepMs: 200, networkMaxMs: 1600, httpFirstMs: 300, httpMaxMs: 2400, rateLimitFirstMs: 800, rateLimitMaxMs: 6400 };

async function eventually<T>(what: string, ms: number, check: () => T | undefined | false): Promise<T> {
  const started = Date.now();
  for (;;) {
    const found = check();
    if (found !== undefined && found !== false) return found;
    if (Date.now() - started > ms) throw new Error(`${what}: not within ${ms} ms`);
    await sleep(10);
  }
}

describe("the X stream's faults, with X's timings scaled down", () => {
  let x: XImitation;
  let joost: XAccount;
  const store: CredentialStore = { read: async () => null, write: async () => undefined };
  const stops: (() => void)[] = [];
  // The cursor as the source's state row keeps it, from one connector (one process) to the next.
  let cursor: Record<string, string> = {};
  let first: string;

  beforeAll(async () => {
    // Each reconnection is logged as a warning: expected here.
    Logger.overrideLogger(['error']);
    x = await XImitation.start({ streamKeepAliveMs: 100 });
    joost = x.addAccount('joost');
    first = x.post(joost, '@acme hello').id;
  });

  afterEach(async () => {
    for (const stop of stops.splice(0)) stop();
    await eventually('the stream closes', 2000, () => x.openStreams === 0);
  });

  afterAll(async () => {
    await x?.stop();
  });

  const connects = () => x.requests.filter((r) => r.method === 'GET' && r.path === STREAM);
  const mentionReads = () => x.requests.filter((r) => r.path === `/2/users/${x.brand.id}/mentions`).length;

  // A streaming source on the imitation, watched as the poller watches it; fetchNew as the poller
  // calls it, from the cursor the last call left.
  async function follow(keywords: string[] = []) {
    const settings = Object.assign(new XSourceConfig(), { baseUrl: x.url, accessTokenEnv: 'T_X', bearerTokenEnv: 'T_X_APP', streaming: true, keywords, pageSize: 10, timeoutMs: 2000 });
    const source = {
      id: 'acme-x',
      brand: 'acme',
      type: 'x',
      pollSeconds: 3600,
      x: settings,
      accessToken: x.accessToken,
      secrets: { accessToken: x.accessToken, bearerToken: x.bearerToken },
    } as ResolvedSource;
    const connector = new XConnector(source, new SystemClock(), store, TIMING);
    let wakes = 0;
    stops.push(connector.watch(() => (wakes += 1)));
    const read = async () => {
      const posts: string[] = [];
      for (let page = 0; page < 20; page++) {
        const fetched = await connector.fetchNew(cursor);
        posts.push(...fetched.posts.map((p) => p.externalId));
        cursor = fetched.cursor;
        if (!fetched.hasMore) break;
      }
      return posts;
    };
    return { read, wakes: () => wakes };
  }

  // Connects after the stream was cut or refused, with the gaps between the attempts; resolves
  // once the connector has seen the new connection (it wakes the poller then).
  async function reconnection(stream: { wakes(): number }, before: number, attempts: number): Promise<number[]> {
    const cut = Date.now();
    const wakes = stream.wakes();
    await eventually('the stream reopens', 10_000, () => connects().length >= before + attempts && x.openStreams === 1 && stream.wakes() > wakes);
    const tried = connects().slice(before);
    expect(tried.map((r) => r.status)).toEqual([...Array(attempts - 1).fill(expect.any(Number)), 200]);
    return tried.map((r: XRecordedRequest, i) => r.at - (i ? tried[i - 1].at : cut));
  }

  it('reads the feeds on connecting, keeps a quiet stream open on its keep-alives, and hands over a post without a request', async () => {
    const stream = await follow();
    await eventually('the stream opens', 5000, () => x.openStreams === 1);
    await eventually('the wake on connecting', 5000, () => stream.wakes() >= 1);
    expect(await stream.read()).toEqual([first]);
    const opened = connects().length;
    await sleep(TIMING.stallMs * 3);
    expect(connects()).toHaveLength(opened);
    expect(connects().at(-1)!.response!.text).toMatch(/^(\r\n){8,}$/);

    const reads = mentionReads();
    const mention = x.post(joost, '@acme my order never came');
    await eventually('the wake for the post', 2000, () => stream.wakes() >= 2);
    expect(await stream.read()).toEqual([mention.id]);
    expect(mentionReads()).toBe(reads);
  });

  it('treats a stream silent for longer than its keep-alive window as dropped, and reads what it missed', async () => {
    const stream = await follow();
    await eventually('the stream opens', 5000, () => x.openStreams === 1);
    await stream.read();
    const before = connects().length;
    x.silenceStreams();
    const missed = x.post(joost, '@acme still waiting for a refund');
    const [gap] = await reconnection(stream, before, 1);
    // The window runs from the last keep-alive, which came at most 100 ms before the silence.
    expect(gap).toBeGreaterThanOrEqual(TIMING.stallMs - 100);
    expect(gap).toBeLessThan(TIMING.stallMs + TIMING.networkStepMs + TIMING.httpFirstMs);
    // The feeds, read from the cursor, bring it (with what the stream handed over before, which
    // the store keeps once).
    expect(await stream.read()).toContain(missed.id);
  });

  it('reconnects at once after a drop', async () => {
    const stream = await follow();
    await eventually('the stream opens', 5000, () => x.openStreams === 1);
    await sleep(150); // a keep-alive has come: the connection was established
    await stream.read();
    const before = connects().length;
    x.dropStreams();
    const missed = x.post(joost, '@acme the app crashes at checkout');
    const [gap] = await reconnection(stream, before, 1);
    expect(gap).toBeLessThan(TIMING.networkStepMs);
    expect(await stream.read()).toContain(missed.id);
  });

  it('waits a minute, then two, after 429 TooManyConnections (scaled)', async () => {
    const stream = await follow();
    await eventually('the stream opens', 5000, () => x.openStreams === 1);
    await sleep(150);
    await stream.read();
    const before = connects().length;
    x.refuseStreams('too-many-connections', 2);
    x.dropStreams();
    const missed = x.post(joost, '@acme where is my parcel');
    const gaps = await reconnection(stream, before, 3);
    expect(connects().slice(before).map((r) => r.status)).toEqual([429, 429, 200]);
    expect(connects()[before].response!.text).toContain('TooManyConnections');
    expect(gaps[0]).toBeLessThan(TIMING.networkStepMs);
    expect(gaps[1]).toBeGreaterThanOrEqual(TIMING.rateLimitFirstMs);
    expect(gaps[2]).toBeGreaterThanOrEqual(TIMING.rateLimitFirstMs * 2);
    expect(await stream.read()).toContain(missed.id);
  });

  it('backs off exponentially after a 503', async () => {
    const stream = await follow();
    await eventually('the stream opens', 5000, () => x.openStreams === 1);
    await sleep(150);
    await stream.read();
    const before = connects().length;
    x.refuseStreams('503', 2);
    x.dropStreams();
    const gaps = await reconnection(stream, before, 3);
    expect(connects().slice(before).map((r) => r.status)).toEqual([503, 503, 200]);
    expect(gaps[1]).toBeGreaterThanOrEqual(TIMING.httpFirstMs);
    expect(gaps[1]).toBeLessThan(TIMING.httpFirstMs * 2);
    expect(gaps[2]).toBeGreaterThanOrEqual(TIMING.httpFirstMs * 2);
  });

  it('leaves the rules as they were when X refuses a new one, and does not stream', async () => {
    const own = x.addRule('"Acme Old Name"', 'paradox:acme-x:search:"Acme Old Name"');
    const rulesBefore = x.streamRules;
    const before = connects().length;
    const changesBefore = x.requests.filter((r) => r.path === RULES && r.method === 'POST').length;
    await follow(['"Acme Shop -is:retweet']);
    await eventually('two dry runs', 5000, () => x.requests.filter((r) => r.path === RULES && r.method === 'POST').length >= changesBefore + 2);
    const changes = x.requests.filter((r) => r.path === RULES && r.method === 'POST').slice(changesBefore);
    expect(changes.every((r) => r.query.dry_run === 'true')).toBe(true);
    expect(changes[1].at - changes[0].at).toBeGreaterThanOrEqual(TIMING.httpFirstMs);
    expect(JSON.parse(changes[0].response!.text).errors).toEqual([expect.objectContaining({ value: '"Acme Shop -is:retweet', type: 'https://api.twitter.com/2/problems/invalid-rules' })]);
    expect(x.streamRules).toEqual(rulesBefore);
    expect(x.streamRules).toContainEqual(own);
    expect(connects()).toHaveLength(before);
  });
});
