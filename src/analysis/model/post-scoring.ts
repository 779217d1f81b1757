import type { ComplaintResult, SentimentLabel, SentimentResult } from '../analysis-result.js';
import { calibrated } from './calibration.js';
import { DIMENSIONS, type FeatureVector } from './feature-vector.js';
import { type LinearWeights, scores, softmax, strongestFeatures } from './linear-model.js';
import type { AnalysisModel, ComplaintModel } from './model-file.js';
import type { PostEvidence } from './post-features.js';

const LABELS: readonly SentimentLabel[] = ['negative', 'neutral', 'positive'];
// The sentiment model's verdict is one input of the complaint model, at this scale.
const STACKED_SENTIMENT = 3;
const MAX_REASONS = 3;
const WORD_WEIGHT = 0.15;
// A lexicon sum this far from zero, with nothing on the other side, is a clear reading.
const ONE_SIDED = 0.5;
const SHORT_POST = 5;

export interface SentimentScores extends SentimentResult {
  // P(negative), P(neutral), P(positive).
  probabilities: number[];
}

// What the sentiment overrules read of a post: its lexical scan and its length in words.
export const lexicalReading = ({ scan, tokens }: PostEvidence): LexicalReading => ({
  positive: scan.positive,
  negative: scan.negative,
  sarcasm: scan.sarcasm,
  words: tokens.wordCount,
});

export interface LexicalReading {
  positive: number;
  negative: number;
  sarcasm: boolean;
  // Words in the post: the one-sided rule is for short posts, where the model has least to go on.
  words: number;
}

// The model's reading, overruled where the lexicon knows better: sarcastic praise is negative,
// and a post whose only sentiment words all point one way is not read the other way round
// ("slecht weer vandaag"). Both are cases a few thousand training posts cannot teach.
export function sentimentOf(model: LinearWeights, x: FeatureVector, lexicon?: LexicalReading, logits?: number[]): SentimentScores {
  let probabilities = softmax(logits ?? scores(model, x));
  const oneSided = (mine: number, theirs: number) => lexicon!.words <= SHORT_POST && Math.abs(mine) >= ONE_SIDED && theirs === 0;
  if (lexicon?.sarcasm || (lexicon && oneSided(lexicon.negative, lexicon.positive))) {
    if (probabilities[2] > probabilities[0]) probabilities = [probabilities[2], probabilities[1], probabilities[0]];
  } else if (lexicon && oneSided(lexicon.positive, lexicon.negative)) {
    if (probabilities[0] > probabilities[2]) probabilities = [probabilities[2], probabilities[1], probabilities[0]];
  }
  let best = 0;
  for (let i = 1; i < 3; i++) if (probabilities[i] > probabilities[best]) best = i;
  return { label: LABELS[best], score: round(probabilities[2] - probabilities[0]), probabilities };
}

// The complaint model reads the post's features and what the sentiment model made of it.
export function withSentiment(x: FeatureVector, sentiment: Pick<SentimentScores, 'probabilities'>): FeatureVector {
  x.add('sentiment:negative', sentiment.probabilities[0] * STACKED_SENTIMENT);
  x.add('sentiment:positive', sentiment.probabilities[2] * STACKED_SENTIMENT);
  return x;
}

// amounts[i]: what feature i of x added to the logit.
function complaintOf(model: ComplaintModel, x: FeatureVector, logit: number, amounts: Float64Array): ComplaintResult {
  const probability = round(calibrated(model.platt, logit));
  const label = probability >= model.threshold;
  const why = explain(strongestFeatures(x, amounts, label ? 1 : -1, 24), x);
  return { label, probability, why: why.length ? why : [label ? 'the words of the post as a whole' : 'no complaint cues'] };
}

// The cue scanner's findings first, then words that weigh (a word on its own rarely decides),
// and last one thing that holds for many posts (tone, being addressed to the brand). Letter
// groups explain nothing to a person and are never named.
function explain(strongest: { k: number[]; amount: number[] }, x: FeatureVector): string[] {
  const cues: string[] = [];
  const words: string[] = [];
  const general: string[] = [];
  for (let n = 0; n < strongest.k.length; n++) {
    // Sorted strongest first: once every place is taken, the rest cannot get in.
    if (cues.length + words.length >= MAX_REASONS && general.length) break;
    const name = x.nameAt(strongest.k[n]);
    const amount = strongest.amount[n];
    const colon = name.indexOf(':');
    const kind = colon < 0 ? name : name.slice(0, colon);
    const value = colon < 0 ? '' : name.slice(colon + 1);
    switch (kind) {
      case 'cue': {
        if (amount < CUE_WEIGHT) break;
        const at = value.indexOf(':');
        // A cue kind ('cue:failure') speaks through the cues of that kind the post holds.
        if (at >= 0) add(cues, `cue: ${value.slice(at + 1)}`);
        else for (const n of x.namesStartingWith(`cue:${value}:`)) add(cues, `cue: ${n.slice(value.length + 5)}`);
        break;
      }
      case 'w':
        if (amount >= WORD_WEIGHT && READABLE_WORD.test(value)) add(words, `word "${value}"`);
        break;
      case 'b':
        if (amount >= WORD_WEIGHT && !value.startsWith('<s> ') && !value.includes('.')) add(words, `"${value}"`);
        break;
      case 'sarcasm':
        add(cues, 'sarcasm');
        break;
      case 'sentiment':
        add(general, `${value} tone`);
        break;
      case 'lex':
        if (value === 'negative' || value === 'positive') add(general, `${value} words`);
        break;
      case 'addressed to brand':
      case 'question mark':
      case 'opens as a question':
      case 'capitals':
        add(general, kind);
        break;
    }
  }
  const specific = [...cues, ...words].slice(0, MAX_REASONS - Math.min(1, general.length));
  return [...specific, ...general].slice(0, MAX_REASONS);
}

function add(list: string[], text: string): void {
  if (!list.includes(text)) list.push(text);
}

const READABLE_WORD = /^\p{L}{3,}$/u;
// A cue or a word is named in `why` only when it moved the score this much.
const CUE_WEIGHT = 0.02;

const round = (v: number) => Math.round(v * 1000) / 1000;

// The sentiment model's three weights and the complaint model's one, side by side per slot: a
// post's features are read from memory once for both models. Built once per model.
const JOINT = 4;
const joints = new WeakMap<AnalysisModel, Float32Array>();

function jointWeights(model: AnalysisModel): Float32Array {
  let joint = joints.get(model);
  if (joint) return joint;
  joint = new Float32Array(DIMENSIONS * JOINT);
  const sentiment = model.sentiment.weights;
  const complaint = model.complaint.weights.weights;
  for (let slot = 0; slot < DIMENSIONS; slot++) {
    joint[slot * JOINT] = sentiment[slot * 3];
    joint[slot * JOINT + 1] = sentiment[slot * 3 + 1];
    joint[slot * JOINT + 2] = sentiment[slot * 3 + 2];
    joint[slot * JOINT + 3] = complaint[slot];
  }
  joints.set(model, joint);
  return joint;
}

// Sentiment and complaint of a post in one pass over its features: the sentiment model's three
// logits first, then the complaint model reads the verdict (withSentiment) on top.
export function scorePost(model: AnalysisModel, x: FeatureVector, lexicon: LexicalReading, explainComplaint: boolean): { sentiment: SentimentScores; complaint: ComplaintResult } {
  const joint = jointWeights(model);
  const { slots, values, size } = x;
  let z0 = model.sentiment.bias[0];
  let z1 = model.sentiment.bias[1];
  let z2 = model.sentiment.bias[2];
  let c = model.complaint.weights.bias[0];
  // Each feature's share of the complaint logit, kept for the explanation.
  const amounts = complaintAmounts(size + 2);
  for (let i = 0; i < size; i++) {
    const base = slots[i] * JOINT;
    const v = values[i];
    z0 += joint[base] * v;
    z1 += joint[base + 1] * v;
    z2 += joint[base + 2] * v;
    c += amounts[i] = joint[base + 3] * v;
  }
  const sentiment = sentimentOf(model.sentiment, x, lexicon, [z0, z1, z2]);
  const before = x.size;
  withSentiment(x, sentiment);
  for (let i = before; i < x.size; i++) c += amounts[i] = joint[x.slots[i] * JOINT + 3] * x.values[i];
  const complaint = explainComplaint ? complaintOf(model.complaint, x, c, amounts) : { label: false, probability: 0, why: ['no words'] };
  return { sentiment, complaint };
}

let amountsScratch = new Float64Array(256);

function complaintAmounts(size: number): Float64Array {
  if (amountsScratch.length < size) amountsScratch = new Float64Array(size * 2);
  return amountsScratch;
}
