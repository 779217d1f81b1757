import { execFileSync } from 'node:child_process';
import { performance } from 'node:perf_hooks';
import { AnalysisModels } from '../src/analysis/analysis-models.js';
import { AnalysisService } from '../src/analysis/analysis.service.js';
import { readModelFile, STARTER_MODEL_FILE } from '../src/analysis/model/model-file.js';
import { baselines } from '../src/analysis/training/baselines.js';
import { loadDatasets } from '../src/analysis/training/datasets.js';
import { projectRoot } from './project-root.js';
import { percentile } from './stats.js';

export const TARGET_POSTS_PER_SECOND = 30_000;
export const TARGET_VS_VADER = 2;
export const TARGET_LOAD_MS = 300;
export const TARGET_MEMORY_MB = 100;

const ROUNDS = 7;
const LOADS = 5;

export interface AnalysisSpeed {
  posts: number;
  perSecond: Record<string, number>;
  loadFirstMs: number;
  loadMedianMs: number;
  memoryMb: number;
}

// Everything the analysis holds (lexicons, language profiles, models), measured in a fresh Node
// process: memory after importing it, loading the model and analysing one post, minus before.
function memoryInFreshProcess(): number {
  const service = new URL('../src/analysis/analysis.service.js', import.meta.url).href;
  const models = new URL('../src/analysis/analysis-models.js', import.meta.url).href;
  const script = `
    const used = () => { gc(); gc(); const m = process.memoryUsage(); return m.heapUsed + m.arrayBuffers; };
    const before = used();
    await import('reflect-metadata');
    const { AnalysisService } = await import(${JSON.stringify(service)});
    const { AnalysisModels } = await import(${JSON.stringify(models)});
    const s = new AnalysisService(AnalysisModels.fromFile());
    s.analyse({ text: '@acme nog steeds niet geleverd, still waiting' });
    s.analyse({ text: 'het weer is mooi vandaag, wat fijn' });
    process.stdout.write(String(used() - before));`;
  const out = execFileSync(process.execPath, ['--expose-gc', '--input-type=module', '-e', script], { cwd: projectRoot(), encoding: 'utf8' });
  return Number(out) / 1024 / 1024;
}


// Paradox's analysis beside VADER and natural on the same posts, one core, in one process:
// every labelled post in ../shared/datasets, with no language tag (detection runs too).
export function measureAnalysis(datasetsDir: string): AnalysisSpeed {
  let started = performance.now();
  const models = new AnalysisModels(readModelFile(STARTER_MODEL_FILE));
  const loadFirstMs = performance.now() - started;
  const paradox = new AnalysisService(models);
  const memoryMb = memoryInFreshProcess();
  const texts = loadDatasets(datasetsDir).flatMap((set) => set.posts.map((p) => ({ text: p.text, lang: p.lang })));
  const loads: number[] = [];
  for (let i = 0; i < LOADS; i++) {
    started = performance.now();
    readModelFile(STARTER_MODEL_FILE);
    loads.push(performance.now() - started);
  }

  const [natural, vader] = baselines();
  const systems: [string, (t: { text: string; lang: string | null }) => unknown][] = [
    ['Paradox', (t) => paradox.analyse({ text: t.text, brandHandles: ['@acme'] })],
    ['VADER', (t) => vader.score(t.text, t.lang)],
    ['natural', (t) => natural.score(t.text, t.lang)],
  ];
  const rates: Record<string, number[]> = Object.fromEntries(systems.map(([name]) => [name, []]));
  // The first two rounds warm the JIT; rounds alternate systems so drift is shared.
  for (let round = 0; round < ROUNDS + 2; round++) {
    for (const [name, run] of systems) {
      started = performance.now();
      for (const t of texts) run(t);
      if (round >= 2) rates[name].push((texts.length / (performance.now() - started)) * 1000);
    }
  }
  return {
    posts: texts.length,
    perSecond: Object.fromEntries(Object.entries(rates).map(([name, r]) => [name, percentile(r, 50)])),
    loadFirstMs,
    loadMedianMs: percentile(loads, 50),
    memoryMb,
  };
}
