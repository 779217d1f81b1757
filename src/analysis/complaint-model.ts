import type { ComplaintResult, SentimentResult } from './analysis-result.js';
import { QUESTION_OPENERS } from './complaint-cues.js';
import type { CueHit } from './lexical-scan.js';

// One named input to the complaint model; reasons explain it in `why` when it helps decide.
export interface Feature {
  name: string;
  value: number;
  reasons: string[];
}

// A logistic model over named features. rules-v1 sets its few weights by hand; a trained model
// can bring thousands (n-grams) through the same shape.
export interface LinearModel {
  version: string;
  bias: number;
  weights: ReadonlyMap<string, number>;
  threshold: number;
}

export const RULES_V1: LinearModel = {
  version: 'rules-v1',
  bias: -2.0,
  weights: new Map([
    ['failure-cues', 2.0],
    ['resolution-cues', -1.2],
    ['praise-cues', -0.8],
    ['negative-sentiment', 1.9],
    ['positive-sentiment', -0.8],
    ['addressed-to-brand', 1.5],
    ['question-without-failure', -0.8],
  ]),
  threshold: 0.5,
};

export interface ComplaintEvidence {
  sentiment: SentimentResult;
  cues: readonly CueHit[];
  addressedToBrand: boolean;
  hasQuestionMark: boolean;
  firstWord: string | undefined;
}

const MAX_REASONS = 3;

function cueFeature(name: string, prefix: string, cues: readonly CueHit[], kind: CueHit['kind']): Feature | null {
  const hits = cues.filter((cue) => cue.kind === kind).sort((a, b) => b.strength - a.strength);
  if (hits.length === 0) return null;
  const value = hits.reduce((sum, cue) => sum + cue.strength, 0);
  return { name, value, reasons: hits.map((cue) => `${prefix}:${cue.label}`) };
}

export function complaintFeatures(evidence: ComplaintEvidence): Feature[] {
  const { sentiment, cues } = evidence;
  const failure = cueFeature('failure-cues', 'cue', cues, 'failure');
  const features = [
    failure,
    cueFeature('resolution-cues', 'resolved', cues, 'resolution'),
    cueFeature('praise-cues', 'praise', cues, 'praise'),
  ].filter((feature): feature is Feature => feature !== null);
  if (sentiment.score !== 0) {
    const tone = sentiment.score < 0 ? 'negative' : 'positive';
    features.push({
      name: `${tone}-sentiment`,
      value: Math.abs(sentiment.score),
      reasons: [`${tone} sentiment ${sentiment.score}`],
    });
  }
  if (evidence.addressedToBrand) {
    features.push({ name: 'addressed-to-brand', value: 1, reasons: ['addressed to brand'] });
  }
  const opensAsQuestion = evidence.firstWord !== undefined && QUESTION_OPENERS.has(evidence.firstWord);
  if ((evidence.hasQuestionMark || opensAsQuestion) && !failure) {
    features.push({ name: 'question-without-failure', value: 1, reasons: ['question without failure cue'] });
  }
  return features;
}

export function scoreComplaint(features: readonly Feature[], model: LinearModel): ComplaintResult {
  let z = model.bias;
  const contributions: Array<{ amount: number; reasons: string[] }> = [];
  for (const feature of features) {
    const amount = (model.weights.get(feature.name) ?? 0) * feature.value;
    z += amount;
    if (amount !== 0) contributions.push({ amount, reasons: feature.reasons });
  }
  const probability = Math.round((1 / (1 + Math.exp(-z))) * 1000) / 1000;
  const label = probability >= model.threshold;
  // Explain with what pushed towards the decision taken, strongest first.
  const why = contributions
    .filter(({ amount }) => (label ? amount > 0 : amount < 0))
    .sort((a, b) => Math.abs(b.amount) - Math.abs(a.amount))
    .flatMap(({ reasons }) => reasons)
    .slice(0, MAX_REASONS);
  return { label, probability, why: why.length > 0 ? why : [label ? 'complaint cues' : 'no complaint cues'] };
}
