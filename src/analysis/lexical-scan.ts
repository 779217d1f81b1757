import type { Language } from './analysis-result.js';
import { type Cue, cueIndexFor, matchCueAt, NEGATORS } from './complaint-cues.js';
import { BOUNDARY } from './post-tokenizer.js';
import { valencesFor } from './sentiment-lexicon.js';

// Negation reaches the next few words or the next punctuation, whichever comes first
// (natural's SentimentAnalyzer flips every word after it, to the end of the post).
const NEGATION_REACH = 3;
// A negated "good" is weaker than "bad" (VADER's factor).
const NEGATED_VALENCE = -0.75;
// "not received", "niet opgelost": a resolution that did not happen is a failure.
const NEGATED_RESOLUTION_STRENGTH = 2;
const NEGATED_RESOLUTION_VALENCE = -0.5;

export interface CueHit {
  kind: Cue['kind'];
  // e.g. 'nog steeds', or 'niet ontvangen' for a negated resolution.
  label: string;
  strength: number;
}

export interface LexicalScan {
  // Sum of word, emoji and phrase valences, after negation, intensifiers and sarcasm.
  valence: number;
  // The positive and the negative part of that sum, before sarcasm turns praise around.
  positive: number;
  negative: number;
  // Praise around a failure, or an eye-roll: "top service weer 🙄".
  sarcasm: boolean;
  cues: CueHit[];
}

// "so slow", "echt slecht": the next word with a valence counts this much more.
const INTENSIFIED = 1.3;
const INTENSIFIERS: ReadonlySet<string> = new Set([
  'very', 'really', 'so', 'soo', 'extremely', 'totally', 'absolutely', 'completely', 'super', 'incredibly', 'seriously',
  'utterly', 'truly', 'echt', 'heel', 'zeer', 'erg', 'enorm', 'ontzettend', 'hartstikke', 'supers', 'mega', 'zwaar',
]);
const EYE_ROLLS: ReadonlySet<string> = new Set(['🙄', '🙃', '😒', '😑', '🤦']);
// Sarcastic praise counts against the post by this part of its valence.
const SARCASM_FLIP = 0.5;

const NEGATION_WORD = { en: 'not', nl: 'niet' } as const;

// What the scan needs to know of a word, found with one look-up: the cues it starts, its valence
// and whether it negates, intensifies or rolls its eyes.
interface WordEntry {
  cues: readonly Cue[] | undefined;
  valence: number | undefined;
  negator: boolean;
  intensifier: boolean;
  eyeRoll: boolean;
}

function wordEntries(language: Language): ReadonlyMap<string, WordEntry> {
  const entries = new Map<string, WordEntry>();
  const entry = (word: string) => {
    let found = entries.get(word);
    // All fields from the start: one object shape keeps the scan's reads monomorphic.
    if (!found) entries.set(word, (found = { cues: undefined, valence: undefined, negator: false, intensifier: false, eyeRoll: false }));
    return found;
  };
  for (const [word, cues] of cueIndexFor(language).byFirstWord) entry(word).cues = cues;
  for (const [word, valence] of valencesFor(language)) entry(word).valence = valence;
  for (const word of NEGATORS) entry(word).negator = true;
  for (const word of INTENSIFIERS) entry(word).intensifier = true;
  for (const word of EYE_ROLLS) entry(word).eyeRoll = true;
  return entries;
}

const WORD_ENTRIES: Record<Language, ReadonlyMap<string, WordEntry>> = {
  en: wordEntries('en'),
  nl: wordEntries('nl'),
  other: wordEntries('other'),
};

export function scanTokens(tokens: readonly string[], language: Language): LexicalScan {
  const words = WORD_ENTRIES[language];
  const index = cueIndexFor(language);
  const cues: CueHit[] = [];
  let valence = 0;
  let positive = 0;
  let negative = 0;
  let praise = 0;
  let praiseCues = 0;
  let eyeRoll = false;
  let boost = 1;
  let negationLeft = 0;
  let at = 0;
  while (at < tokens.length) {
    const token = tokens[at];
    if (token === BOUNDARY) {
      negationLeft = 0;
      at++;
      continue;
    }
    const word = words.get(token);
    const cue = matchCueAt(tokens, at, index, word?.cues);
    // What this token (or phrase) adds to the sentiment, if anything.
    let value: number | undefined;
    if (cue) {
      const negated = negationLeft > 0;
      if (cue.kind === 'resolution' && negated) {
        cues.push({
          kind: 'failure',
          label: `${NEGATION_WORD[cue.language]} ${cue.prefix ? token : cue.phrase}`,
          strength: NEGATED_RESOLUTION_STRENGTH,
        });
        value = NEGATED_RESOLUTION_VALENCE;
      } else if (!(cue.kind === 'praise' && negated)) {
        // A prefix cue is reported by the word that matched it: 'cancelled', not 'cancel*'.
        const label = cue.prefix ? token : cue.phrase;
        if (cue.kind !== 'tone') cues.push({ kind: cue.kind, label, strength: cue.strength });
        if (cue.kind === 'praise') {
          praiseCues++;
          praise += Math.max(0, cue.valence);
        }
        value = cue.valence;
      }
      negationLeft = cue.endsNegated ? NEGATION_REACH : Math.max(0, negationLeft - cue.words.length);
      at += cue.words.length;
    } else if (word?.negator) {
      negationLeft = NEGATION_REACH;
      at++;
      continue;
    } else if (word?.intensifier) {
      boost = INTENSIFIED;
      at++;
      continue;
    } else {
      if (word?.eyeRoll) eyeRoll = true;
      if (word?.valence !== undefined) {
        value = negationLeft > 0 ? word.valence * NEGATED_VALENCE : word.valence;
        if (value > 0) praise += value;
      }
      if (negationLeft > 0) negationLeft--;
      at++;
    }
    if (value === undefined) continue;
    // An intensifier raises the next thing that counts, then it is spent.
    value *= boost;
    boost = 1;
    valence += value;
    if (value > 0) positive += value;
    else negative += value;
  }
  const failed = cues.some((cue) => cue.kind === 'failure');
  // Positive words beside an eye-roll, or a compliment ("great service", "top") beside a failure.
  // Plain mixed feelings ("good food but slow") are not sarcasm.
  const sarcasm = (praise > 0 || praiseCues > 0) && (eyeRoll || (praiseCues > 0 && failed));
  // The praise is the joke: it counts against the post instead of for it.
  if (sarcasm) valence -= praise * (1 + SARCASM_FLIP);
  return { valence, positive, negative, sarcasm, cues };
}
