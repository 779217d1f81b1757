import { type LinearWeights, score, sigmoid } from './linear-model.js';
import type { Example } from './logistic-trainer.js';

// Platt scaling: p = sigmoid(a * score + b), fitted on scores the model gave to posts it was not
// trained on, so that "0.8" means right about eight times in ten.
export interface Platt {
  a: number;
  b: number;
}

export function fitPlatt(scores: readonly number[], labels: readonly number[]): Platt {
  // Platt's smoothed targets keep a separable fold from driving a to infinity.
  const positives = labels.filter((y) => y === 1).length;
  const negatives = labels.length - positives;
  const high = (positives + 1) / (positives + 2);
  const low = 1 / (negatives + 2);
  let a = 1;
  let b = 0;
  for (let iteration = 0; iteration < 200; iteration++) {
    let ga = 0;
    let gb = 0;
    let haa = 1e-6;
    let hab = 0;
    let hbb = 1e-6;
    for (let i = 0; i < scores.length; i++) {
      const p = sigmoid(a * scores[i] + b);
      const t = labels[i] === 1 ? high : low;
      const d = p - t;
      const w = p * (1 - p);
      ga += d * scores[i];
      gb += d;
      haa += w * scores[i] * scores[i];
      hab += w * scores[i];
      hbb += w;
    }
    // One Newton step on the 2x2 system.
    const det = haa * hbb - hab * hab;
    const da = (hbb * ga - hab * gb) / det;
    const db = (haa * gb - hab * ga) / det;
    a -= da;
    b -= db;
    if (Math.abs(da) + Math.abs(db) < 1e-9) break;
  }
  return { a, b };
}

export const calibrated = (platt: Platt, z: number) => sigmoid(platt.a * z + platt.b);

// Calibration and a tuned threshold for a binary model, from out-of-fold scores: each example is
// scored by a model `train` made without it.
export function calibrateOutOfFold(examples: readonly Example[], train: (subset: Example[]) => LinearWeights, folds: number): { platt: Platt; threshold: number } {
  const scores = new Array<number>(examples.length);
  for (let fold = 0; fold < folds; fold++) {
    const model = train(examples.filter((_, i) => i % folds !== fold));
    examples.forEach((e, i) => {
      if (i % folds === fold) scores[i] = score(model, e.x, 0);
    });
  }
  const labels = examples.map((e) => e.y);
  const platt = fitPlatt(scores, labels);
  return { platt, threshold: bestThreshold(scores.map((z) => calibrated(platt, z)), labels) };
}

// The probability cut that gives the best macro-F1 on held-out predictions.
export function bestThreshold(probabilities: readonly number[], labels: readonly number[]): number {
  let best = 0.5;
  let bestScore = -1;
  for (let t = 0.05; t <= 0.95 + 1e-9; t += 0.01) {
    const f = binaryScores(probabilities.map((p) => (p >= t ? 1 : 0)), labels).macroF1;
    if (f > bestScore) {
      bestScore = f;
      best = Math.round(t * 100) / 100;
    }
  }
  return best;
}

export interface BinaryScores {
  n: number;
  accuracy: number;
  precision: number;
  recall: number;
  f1: number;
  macroF1: number;
}

export function binaryScores(predicted: readonly number[], labels: readonly number[]): BinaryScores {
  let tp = 0;
  let fp = 0;
  let fn = 0;
  let tn = 0;
  for (let i = 0; i < labels.length; i++) {
    if (predicted[i] === 1 && labels[i] === 1) tp++;
    else if (predicted[i] === 1) fp++;
    else if (labels[i] === 1) fn++;
    else tn++;
  }
  const f = (a: number, b: number) => (a + b ? (2 * a * b) / (a + b) : 0);
  const precision = tp + fp ? tp / (tp + fp) : 0;
  const recall = tp + fn ? tp / (tp + fn) : 0;
  const negPrecision = tn + fn ? tn / (tn + fn) : 0;
  const negRecall = tn + fp ? tn / (tn + fp) : 0;
  const f1 = f(precision, recall);
  return { n: labels.length, accuracy: (tp + tn) / (labels.length || 1), precision, recall, f1, macroF1: (f1 + f(negPrecision, negRecall)) / 2 };
}

// Area under the ROC curve: the chance a random positive outranks a random negative (ties count half).
export function auc(scores: readonly number[], labels: readonly number[]): number {
  const order = scores.map((s, i) => [s, labels[i]] as const).sort((a, b) => a[0] - b[0]);
  let rankSum = 0;
  let positives = 0;
  let i = 0;
  while (i < order.length) {
    let j = i;
    while (j < order.length && order[j][0] === order[i][0]) j++;
    const averageRank = (i + j + 1) / 2;
    for (let k = i; k < j; k++) {
      if (order[k][1] === 1) {
        rankSum += averageRank;
        positives++;
      }
    }
    i = j;
  }
  const negatives = order.length - positives;
  if (!positives || !negatives) return Number.NaN;
  return (rankSum - (positives * (positives + 1)) / 2) / (positives * negatives);
}
