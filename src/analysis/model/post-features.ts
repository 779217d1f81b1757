import type { Language } from '../analysis-result.js';
import type { LexicalScan } from '../lexical-scan.js';
import { BOUNDARY, type PostTokens } from '../post-tokenizer.js';
import { FeatureVector } from './feature-vector.js';

export interface PostEvidence {
  tokens: PostTokens;
  scan: LexicalScan;
  language: Language;
  addressedToBrand: boolean;
  opensAsQuestion: boolean;
}

const CHAR_GRAMS = [3, 4];
const MAX_CHAR_GRAM = 4;

// What the trained models see of a post: its words and word pairs, the letter groups inside its
// words (they carry "refund" into "refunded" and Dutch compounds), and the lexicon's and cue
// scanner's findings. Word and letter blocks are scaled to unit length, so long posts do not shout.
export function postFeatures(evidence: PostEvidence, keepNames = false): FeatureVector {
  const x = new FeatureVector(keepNames);
  const { tokens, scan } = evidence;
  const lang = evidence.language;

  let start = x.size;
  let previous = '<s>';
  for (const token of tokens.tokens) {
    if (token !== BOUNDARY) x.add(`w:${token}`);
    x.add(`b:${previous} ${token}`);
    previous = token;
  }
  normalise(x, start);

  start = x.size;
  for (const token of tokens.tokens) {
    if (token === BOUNDARY || token.length < 2) continue;
    addCharGrams(x, ` ${token} `);
  }
  normalise(x, start);

  x.add(`lang:${lang}`);
  x.add('lex:valence', clamp(scan.valence / 2));
  x.add('lex:positive', clamp(scan.positive / 2));
  x.add('lex:negative', clamp(-scan.negative / 2));
  if (scan.sarcasm) x.add('sarcasm');
  for (const cue of scan.cues) {
    x.add(`cue:${cue.kind}`, cue.strength / 2);
    x.add(`cue:${cue.kind}:${cue.label}`);
  }
  if (evidence.addressedToBrand) x.add('addressed to brand');
  if (tokens.mentions.length) x.add('mentions someone');
  if (tokens.hasQuestionMark) x.add('question mark');
  if (evidence.opensAsQuestion) x.add('opens as a question');
  if (tokens.links) x.add('has a link');
  if (tokens.shouted) x.add('capitals', Math.min(tokens.shouted, 3) / 3);
  if (tokens.elongated) x.add('stretched words');
  if (tokens.exclamations) x.add('exclamations', Math.min(tokens.exclamations, 3) / 3);
  return x;
}

function addCharGrams(x: FeatureVector, word: string): void {
  for (let i = 0; i < word.length; i++) {
    const end = Math.min(word.length, i + MAX_CHAR_GRAM);
    for (const n of CHAR_GRAMS) if (i + n <= end) x.add(`c:${word.slice(i, i + n)}`);
  }
}

function normalise(x: FeatureVector, from: number): void {
  const n = x.size - from;
  if (n > 0) x.scale(from, 1 / Math.sqrt(n));
}

const clamp = (v: number) => (v > 2 ? 2 : v < -2 ? -2 : v);
