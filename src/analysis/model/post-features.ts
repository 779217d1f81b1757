import type { Language } from '../analysis-result.js';
import type { LexicalScan } from '../lexical-scan.js';
import { BOUNDARY, type PostTokens } from '../post-tokenizer.js';
import { extendHash, FeatureVector, FNV_PRIME, hashOf, slotOfHash } from './feature-vector.js';

export interface PostEvidence {
  tokens: PostTokens;
  scan: LexicalScan;
  language: Language;
  addressedToBrand: boolean;
  opensAsQuestion: boolean;
}

// Letter groups of three and four, the word's edges marked by a space.
const MIN_CHAR_GRAM = 3;
const MAX_CHAR_GRAM = 4;

// What the trained models see of a post: its words and word pairs, the letter groups inside its
// words (they carry "refund" into "refunded" and Dutch compounds), and the lexicon's and cue
// scanner's findings. Word and letter blocks are scaled to unit length, so long posts do not shout.
// `into`, when given, is cleared and filled instead of a new vector.
export function postFeatures(evidence: PostEvidence, keepNames = false, into?: FeatureVector): FeatureVector {
  const x = into ?? new FeatureVector(keepNames);
  x.clear();
  const { tokens, scan } = evidence;
  const lang = evidence.language;

  let start = x.size;
  let previous = '<s>';
  // Hashed straight from the tokens: the joined names are made only to be read in `why`.
  for (const token of tokens.tokens) {
    if (token !== BOUNDARY) x.addHashed(slotOfHash(extendHash(WORD_HASH, token, 0, token.length)), 'w:', token);
    const pair = extendHash(extendHash(extendHash(PAIR_HASH, previous, 0, previous.length), SPACE_TEXT, 0, 1), token, 0, token.length);
    x.addHashed(slotOfHash(pair), 'b:', previous, token);
    previous = token;
  }
  normalise(x, start);

  start = x.size;
  for (const token of tokens.tokens) {
    if (token === BOUNDARY || token.length < 2) continue;
    addCharGrams(x, token);
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

const CHAR_GRAM_HASH = hashOf('c:');
const WORD_HASH = hashOf('w:');
const PAIR_HASH = hashOf('b:');
const SPACE = 32;
const SPACE_TEXT = ' ';

// The letter groups of ` word `, hashed as 'c:' + group is, without making the strings.
function addCharGrams(x: FeatureVector, token: string): void {
  const n = token.length + 2;
  for (let i = 0; i + MIN_CHAR_GRAM <= n; i++) {
    let hash = CHAR_GRAM_HASH;
    for (let k = 0; k < MAX_CHAR_GRAM && i + k < n; k++) {
      const at = i + k;
      hash = Math.imul(hash ^ (at === 0 || at === n - 1 ? SPACE : token.charCodeAt(at - 1)), FNV_PRIME);
      if (k + 1 >= MIN_CHAR_GRAM) x.addSlot(slotOfHash(hash));
    }
  }
}

function normalise(x: FeatureVector, from: number): void {
  const n = x.size - from;
  if (n > 0) x.scale(from, 1 / Math.sqrt(n));
}

const clamp = (v: number) => (v > 2 ? 2 : v < -2 ? -2 : v);
