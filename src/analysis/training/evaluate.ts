import type { AnalysisService } from '../analysis.service.js';
import { auc, type BinaryScores, binaryScores } from '../model/calibration.js';
import { baselines } from './baselines.js';
import { type Dataset, splitOf } from './datasets.js';

export interface EvalRow extends BinaryScores {
  set: string;
  task: string;
  system: string;
  auc: number;
  macroRecall: number | null;
}

// The targets of issue 3, on the held-out posts.
export const TARGETS: Record<string, { metric: 'macroF1' | 'macroRecall'; target: number }> = {
  'complaints-en.dev': { metric: 'macroF1', target: 0.82 },
  'tweeteval-sentiment-en.test': { metric: 'macroRecall', target: 0.65 },
  'restaurant-reviews-nl.dev': { metric: 'macroF1', target: 0.78 },
  'political-tweets-nl.dev': { metric: 'macroF1', target: 0.7 },
};

interface Prediction {
  // 1 for a complaint (or a negative post), 0 otherwise.
  positive: number;
  // Higher means more of a complaint (or more negative).
  score: number;
  sentiment: 'negative' | 'neutral' | 'positive';
}

// Every labelled set, held-out posts only: Paradox (through the analysis service the app uses)
// beside natural and VADER.
export function evaluate(sets: Dataset[], analysis: AnalysisService): EvalRow[] {
  const rows: EvalRow[] = [];
  const others = baselines();
  for (const set of sets) {
    const posts = set.posts.filter((p) => splitOf(set.name, p) === 'held-out');
    if (!posts.length) continue;
    const complaintTask = set.kind === 'complaint';
    const truth = posts.map((p) => (complaintTask ? (p.complaint ? 1 : 0) : p.sentiment === 'negative' ? 1 : 0));
    const systems: [string, (text: string, lang: string | null) => Prediction][] = [
      [
        'Paradox',
        (text, lang) => {
          const r = analysis.analyse({ text, lang });
          return complaintTask
            ? { positive: r.complaint.label ? 1 : 0, score: r.complaint.probability, sentiment: r.sentiment.label }
            : { positive: r.sentiment.label === 'negative' ? 1 : 0, score: -r.sentiment.score, sentiment: r.sentiment.label };
        },
      ],
      ...others.map(
        (b) =>
          [
            b.name,
            (text: string, lang: string | null) => {
              const s = b.score(text, lang);
              const sentiment = s > b.neutralBand ? 'positive' : s < -b.neutralBand ? 'negative' : 'neutral';
              return { positive: sentiment === 'negative' ? 1 : 0, score: -s, sentiment } as Prediction;
            },
          ] as [string, (text: string, lang: string | null) => Prediction],
      ),
    ];
    for (const [system, predict] of systems) {
      const predictions = posts.map((p) => predict(p.text, p.lang));
      rows.push({
        set: set.name,
        task: complaintTask ? 'complaint' : 'negative vs rest',
        system,
        ...binaryScores(predictions.map((p) => p.positive), truth),
        auc: auc(predictions.map((p) => p.score), truth),
        macroRecall: complaintTask ? null : macroRecall(predictions.map((p) => p.sentiment), posts.map((p) => p.sentiment!)),
      });
    }
  }
  return rows;
}

function macroRecall(predicted: string[], truth: string[]): number {
  const classes = ['negative', 'neutral', 'positive'];
  const recalls = classes.map((c) => {
    const of = truth.map((_, i) => i).filter((i) => truth[i] === c);
    return of.length ? of.filter((i) => predicted[i] === c).length / of.length : Number.NaN;
  });
  const present = recalls.filter((r) => !Number.isNaN(r));
  return present.reduce((a, b) => a + b, 0) / present.length;
}

export function formatEval(rows: EvalRow[]): string {
  const header = ['set', 'task', 'system', 'n', 'accuracy', 'precision', 'recall', 'F1', 'macro-F1', 'AUC', 'macro-recall', 'target'];
  const f = (v: number | null) => (v === null || Number.isNaN(v) ? '' : v.toFixed(3));
  const lines = rows.map((r) => {
    const target = TARGETS[r.set];
    const value = target ? (target.metric === 'macroF1' ? r.macroF1 : r.macroRecall ?? 0) : null;
    const verdict = target && r.system === 'Paradox' ? `${target.metric} >= ${target.target}: ${value! >= target.target ? 'PASS' : 'MISS'}` : '';
    return [r.set, r.task, r.system, String(r.n), f(r.accuracy), f(r.precision), f(r.recall), f(r.f1), f(r.macroF1), f(r.auc), f(r.macroRecall), verdict];
  });
  const widths = header.map((h, c) => Math.max(h.length, ...lines.map((l) => l[c].length)));
  const line = (cells: string[]) => cells.map((cell, c) => (c < 3 || c === 11 ? cell.padEnd(widths[c]) : cell.padStart(widths[c]))).join('  ').trimEnd();
  return [line(header), widths.map((w) => '-'.repeat(w)).join('  '), ...lines.map(line)].join('\n');
}
