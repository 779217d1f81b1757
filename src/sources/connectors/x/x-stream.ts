import { setTimeout as sleep } from 'node:timers/promises';
import type { Logger } from '@nestjs/common';
import { ConnectorError } from '../../connector-error.js';
import { readRateLimit } from './x-rate-limit.js';
import type { XProblem } from './x.types.js';

export interface XStreamTiming {
  // X sends a keep-alive (a bare \r\n) every 20 seconds: a stream silent for longer, with a few
  // seconds for the network, has died without closing.
  stallMs: number;
  networkStepMs: number;
  networkMaxMs: number;
  httpFirstMs: number;
  httpMaxMs: number;
  rateLimitFirstMs: number;
  rateLimitMaxMs: number;
}

// X's reconnection guidance ("Handling disconnections" in X's documentation).
export const X_STREAM_TIMING: XStreamTiming = {
  stallMs: 25_000,
  networkStepMs: 250,
  networkMaxMs: 16_000,
  httpFirstMs: 5_000,
  httpMaxMs: 320_000,
  rateLimitFirstMs: 60_000,
  rateLimitMaxMs: 15 * 60_000,
};

// Why a connection ended, or was not made.
export type StreamFailure =
  // An established connection that brought something (a post, a keep-alive) ended, broke or fell silent.
  | { kind: 'dropped' }
  // No answer: refused, reset, timed out; or a connection that closed before bringing anything.
  | { kind: 'network' }
  | { kind: 'http' }
  | { kind: 'rate-limited'; resetAt: Date | null };

// How long to wait before connecting again, after `failures` failed attempts in a row: at once
// after an established connection drops; then linearly for network errors (+250 ms an attempt, up
// to 16 s), exponentially for HTTP errors (5 s doubling, up to 320 s), and for a 429 from a
// minute, doubling, and never before the reset when X says the window is spent.
export function reconnectDelay(failure: StreamFailure, failures: number, timing: XStreamTiming, now: number): number {
  const doubling = (first: number, max: number) => Math.min(first * 2 ** Math.max(0, failures - 1), max);
  switch (failure.kind) {
    case 'dropped':
      return 0;
    case 'network':
      return Math.min(timing.networkStepMs * failures, timing.networkMaxMs);
    case 'http':
      return doubling(timing.httpFirstMs, timing.httpMaxMs);
    case 'rate-limited':
      return Math.max(doubling(timing.rateLimitFirstMs, timing.rateLimitMaxMs), (failure.resetAt?.getTime() ?? 0) - now);
  }
}

// X ends every message with \r\n, and a bare \r\n is the keep-alive; a chunk may end mid-message.
export function splitLines(pending: string, chunk: string): { lines: string[]; rest: string } {
  const lines = (pending + chunk).split(/\r?\n/);
  const rest = lines.pop()!;
  return { lines: lines.filter((line) => line.trim() !== ''), rest };
}

interface Ended {
  failure: StreamFailure;
  reason: string;
}

export interface XStreamHandlers {
  // Before connecting, until it succeeds once: the rules the stream matches.
  prepare(): Promise<void>;
  // A connection is open: what was posted while none was must be read from the feeds.
  connected(): void;
  // One message of the stream, as X sent it.
  message(line: string): void;
}

// The filtered stream (GET /2/tweets/search/stream, newline-delimited JSON), followed until
// stopped: reconnected as X asks, and treated as dropped when silent for longer than the keep-alive.
export class XStream {
  constructor(
    private readonly url: string,
    private readonly bearerToken: string,
    private readonly timing: XStreamTiming,
    private readonly logger: Logger,
  ) {}

  follow(handlers: XStreamHandlers): () => void {
    const stop = new AbortController();
    void this.run(handlers, stop.signal);
    return () => stop.abort();
  }

  private async run(handlers: XStreamHandlers, stop: AbortSignal): Promise<void> {
    let prepared = false;
    let failures = 0;
    while (!stop.aborted) {
      const ended = prepared ? await this.connect(handlers, stop) : await prepare(handlers);
      if (ended === null) {
        prepared = true;
        continue;
      }
      if (stop.aborted) return;
      failures = ended.failure.kind === 'dropped' ? 0 : failures + 1;
      const waitMs = reconnectDelay(ended.failure, failures, this.timing, Date.now());
      this.logger.warn(`filtered stream ${prepared ? 'lost' : 'not started'} (${ended.reason}); reconnecting in ${waitMs} ms`);
      await sleep(waitMs, undefined, { signal: stop }).catch(() => undefined);
    }
  }

  private async connect(handlers: XStreamHandlers, stop: AbortSignal): Promise<Ended> {
    const stalled = new AbortController();
    let stallTimer = setTimeout(() => stalled.abort(), this.timing.stallMs);
    const silentFor = `silent for ${this.timing.stallMs} ms`;
    try {
      let response: Response;
      try {
        response = await fetch(this.url, {
          headers: { Authorization: `Bearer ${this.bearerToken}`, Accept: 'application/json' },
          signal: AbortSignal.any([stop, stalled.signal]),
        });
      } catch (error) {
        return { failure: { kind: 'network' }, reason: stalled.signal.aborted ? silentFor : causeOf(error) };
      }
      if (response.status !== 200 || !response.body) return answerFailure(response.status, response.headers, await response.text().catch(() => ''));

      handlers.connected();
      let delivered = false;
      let pending = '';
      const decoder = new TextDecoder();
      try {
        for await (const chunk of response.body) {
          clearTimeout(stallTimer);
          stallTimer = setTimeout(() => stalled.abort(), this.timing.stallMs);
          delivered = true;
          const { lines, rest } = splitLines(pending, decoder.decode(chunk, { stream: true }));
          pending = rest;
          for (const line of lines) handlers.message(line);
        }
        return { failure: delivered ? { kind: 'dropped' } : { kind: 'network' }, reason: 'X closed the stream' };
      } catch (error) {
        return { failure: delivered ? { kind: 'dropped' } : { kind: 'network' }, reason: stalled.signal.aborted ? silentFor : causeOf(error) };
      }
    } finally {
      clearTimeout(stallTimer);
    }
  }
}

// X's answer to a connection it did not open: a 429 is waited out, anything else backed off.
function answerFailure(status: number, headers: Headers, text: string): Ended {
  const problem = problemOf(text);
  if (status === 429) {
    // TooManyConnections comes with a window that is not spent: its reset says nothing then.
    const limit = readRateLimit(Object.fromEntries(headers));
    return { failure: { kind: 'rate-limited', resetAt: limit?.remaining === 0 ? limit.resetAt : null }, reason: `HTTP 429: ${problem}` };
  }
  const refused = status === 401 || status === 403 ? ' (X refused the bearer token, or the app has no access to the filtered stream)' : '';
  return { failure: { kind: 'http' }, reason: `HTTP ${status}: ${problem}${refused}` };
}

async function prepare(handlers: XStreamHandlers): Promise<Ended | null> {
  try {
    await handlers.prepare();
    return null;
  } catch (error) {
    return rulesFailure(error);
  }
}

function rulesFailure(error: unknown): Ended {
  const reason = `the rules: ${(error as Error).message}`;
  if (error instanceof ConnectorError && error.code === 'RATE_LIMITED') return { failure: { kind: 'rate-limited', resetAt: error.resetAt }, reason };
  return { failure: { kind: 'http' }, reason };
}

// What X said, never anything the request carried.
function problemOf(text: string): string {
  try {
    const body = JSON.parse(text) as XProblem & { connection_issue?: string };
    const said = [body.title, body.connection_issue, body.detail].filter((s) => typeof s === 'string' && s).join(': ');
    return (said || 'no reason given').slice(0, 200);
  } catch {
    return 'no reason given';
  }
}

function causeOf(error: unknown): string {
  const e = error as Error & { cause?: { code?: string; message?: string } };
  return e.cause?.message ?? e.cause?.code ?? e.message;
}
