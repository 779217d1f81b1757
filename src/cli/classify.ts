import { createReadStream, createWriteStream } from 'node:fs';
import { once } from 'node:events';
import { createInterface } from 'node:readline';
import type { Readable, Writable } from 'node:stream';
import type { AnalysisService } from '../analysis/analysis.service.js';

export interface ClassifyOptions {
  input?: string;
  output?: string;
}

// JSONL in, JSONL out, one line per input line in order. A bad line is reported on stderr by
// its number and skipped; the rest are still classified, and the exit code says one failed.
export async function classify(analysis: AnalysisService, options: ClassifyOptions, stdin: Readable, stdout: Writable, stderr: Writable): Promise<number> {
  const input = options.input ? createReadStream(options.input, 'utf8') : stdin;
  const output = options.output ? createWriteStream(options.output, 'utf8') : stdout;
  let failed = 0;
  let number = 0;
  for await (const line of createInterface({ input, crlfDelay: Infinity })) {
    number++;
    if (!line.trim()) continue;
    const item = parseLine(line);
    if (typeof item === 'string') {
      failed++;
      stderr.write(`line ${number}: ${item}\n`);
      continue;
    }
    const r = analysis.analyse({ text: item.text, lang: item.lang });
    const out = {
      id: item.id,
      lang: r.language,
      sentiment: r.sentiment,
      complaint: r.complaint,
      topic: r.topic,
      severity: r.severity,
      abusive: r.abusive,
      intent: r.intent,
    };
    if (!output.write(JSON.stringify(out) + '\n')) await once(output, 'drain');
  }
  if (output !== stdout) {
    output.end();
    await once(output, 'finish');
  }
  if (failed) stderr.write(`${failed} of ${number} lines could not be classified\n`);
  return failed ? 1 : 0;
}

function parseLine(line: string): { id: string | number; text: string; lang: string | null } | string {
  let value: unknown;
  try {
    value = JSON.parse(line);
  } catch (error) {
    return `not JSON (${(error as Error).message})`;
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return 'expected an object {"id", "text", "lang"?}';
  const { id, text, lang } = value as Record<string, unknown>;
  if (typeof id !== 'string' && typeof id !== 'number') return '"id" must be a string or a number';
  if (typeof text !== 'string') return '"text" must be a string';
  if (lang !== undefined && lang !== null && typeof lang !== 'string') return '"lang" must be a string when given';
  return { id, text, lang: (lang as string | undefined) ?? null };
}
