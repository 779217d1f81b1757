import { describe, expect, it } from '@jest/globals';
import { X_STREAM_TIMING, reconnectDelay, splitLines } from './x-stream.js';

const NOW = Date.parse('2026-03-02T10:00:00Z');
const delays = (failure: Parameters<typeof reconnectDelay>[0], attempts: number) =>
  Array.from({ length: attempts }, (_, i) => reconnectDelay(failure, i + 1, X_STREAM_TIMING, NOW));

describe("reconnecting X's filtered stream as X asks", () => {
  it('reconnects at once when an established connection drops', () => {
    expect(reconnectDelay({ kind: 'dropped' }, 0, X_STREAM_TIMING, NOW)).toBe(0);
  });

  it('backs off linearly for network errors, 250 ms an attempt up to 16 seconds', () => {
    expect(delays({ kind: 'network' }, 4)).toEqual([250, 500, 750, 1000]);
    expect(reconnectDelay({ kind: 'network' }, 64, X_STREAM_TIMING, NOW)).toBe(16_000);
    expect(reconnectDelay({ kind: 'network' }, 500, X_STREAM_TIMING, NOW)).toBe(16_000);
  });

  it('backs off exponentially for HTTP errors, from 5 seconds up to 320', () => {
    expect(delays({ kind: 'http' }, 8)).toEqual([5_000, 10_000, 20_000, 40_000, 80_000, 160_000, 320_000, 320_000]);
    expect(reconnectDelay({ kind: 'http' }, 5000, X_STREAM_TIMING, NOW)).toBe(320_000);
  });

  it('waits a minute after a 429, doubling, and until the reset when the window is spent', () => {
    expect(delays({ kind: 'rate-limited', resetAt: null }, 3)).toEqual([60_000, 120_000, 240_000]);
    expect(reconnectDelay({ kind: 'rate-limited', resetAt: new Date(NOW + 9 * 60_000) }, 1, X_STREAM_TIMING, NOW)).toBe(9 * 60_000);
    expect(reconnectDelay({ kind: 'rate-limited', resetAt: new Date(NOW + 10_000) }, 1, X_STREAM_TIMING, NOW)).toBe(60_000);
  });
});

describe('the lines of the filtered stream', () => {
  it('takes each message ended by \\r\\n, skips keep-alives and keeps a message cut short for the next chunk', () => {
    const first = splitLines('', '\r\n{"data":{"id":"1"}}\r\n\r\n{"data":{"id"');
    expect(first).toEqual({ lines: ['{"data":{"id":"1"}}'], rest: '{"data":{"id"' });
    expect(splitLines(first.rest, ':"2"}}\r\n')).toEqual({ lines: ['{"data":{"id":"2"}}'], rest: '' });
  });

  it('keeps a multi-byte character cut between chunks whole (the decoder streams)', () => {
    const bytes = new TextEncoder().encode('{"data":{"text":"ü"}}\r\n');
    const decoder = new TextDecoder();
    const cut = bytes.indexOf(0xc3) + 1;
    const a = splitLines('', decoder.decode(bytes.slice(0, cut), { stream: true }));
    const b = splitLines(a.rest, decoder.decode(bytes.slice(cut), { stream: true }));
    expect(b.lines).toEqual(['{"data":{"text":"ü"}}']);
  });
});
