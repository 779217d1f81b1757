import { describe, expect, it } from '@jest/globals';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { AnalysisModels } from '../analysis/analysis-models.js';
import { AnalysisService } from '../analysis/analysis.service.js';
import { classify } from './classify.js';

const service = new AnalysisService(AnalysisModels.fromFile());

async function run(input: string, options: { input?: string; output?: string } = {}) {
  const stdin = new PassThrough();
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  let out = '';
  let err = '';
  stdout.on('data', (chunk) => (out += chunk));
  stderr.on('data', (chunk) => (err += chunk));
  stdin.end(input);
  const code = await classify(service, options, stdin, stdout, stderr);
  return { code, out, err };
}

describe('paradox classify', () => {
  it('writes one JSONL line per input line, in order, with every field', async () => {
    const { code, out, err } = await run(
      [
        JSON.stringify({ id: 'a', text: '@acme you charged me twice and I want a refund' }),
        JSON.stringify({ id: 2, text: 'Bedankt voor de snelle hulp!', lang: 'nl' }),
      ].join('\n'),
    );
    expect(code).toBe(0);
    expect(err).toBe('');
    const lines = out.trim().split('\n').map((l) => JSON.parse(l));
    expect(lines.map((l) => l.id)).toEqual(['a', 2]);
    expect(Object.keys(lines[0])).toEqual(['id', 'lang', 'sentiment', 'complaint', 'topic', 'severity', 'abusive', 'intent']);
    expect(lines[0]).toMatchObject({ lang: 'en', complaint: { label: true }, topic: 'refund_billing', severity: 'high', intent: 'complaint' });
    expect(lines[1]).toMatchObject({ lang: 'nl', sentiment: { label: 'positive' }, complaint: { label: false }, intent: 'praise' });
  });

  it('names a bad line by its number on stderr, classifies the rest, and exits non-zero', async () => {
    const { code, out, err } = await run(['{"id": 1, "text": "fine"}', 'not json', '{"id": 3}', '{"id": 4, "text": "still broken @acme"}'].join('\n'));
    expect(code).toBe(1);
    expect(err).toContain('line 2: not JSON');
    expect(err).toContain('line 3: "text" must be a string');
    expect(out.trim().split('\n').map((l) => JSON.parse(l).id)).toEqual([1, 4]);
  });

  it('reads --input and writes --output files', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'paradox-classify-'));
    writeFileSync(join(dir, 'in.jsonl'), '{"id": "x", "text": "nog steeds niet geleverd @acme"}\n');
    const { code, out } = await run('', { input: join(dir, 'in.jsonl'), output: join(dir, 'out.jsonl') });
    expect(code).toBe(0);
    expect(out).toBe('');
    expect(JSON.parse(readFileSync(join(dir, 'out.jsonl'), 'utf8'))).toMatchObject({ id: 'x', lang: 'nl', complaint: { label: true }, topic: 'delivery' });
  });
});
