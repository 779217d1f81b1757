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
  // Sum of word, emoji and phrase valences, after negation.
  valence: number;
  cues: CueHit[];
}

const NEGATION_WORD = { en: 'not', nl: 'niet' } as const;

export function scanTokens(tokens: readonly string[], language: Language): LexicalScan {
  const valences = valencesFor(language);
  const index = cueIndexFor(language);
  const cues: CueHit[] = [];
  let valence = 0;
  let negationLeft = 0;
  let at = 0;
  while (at < tokens.length) {
    const token = tokens[at];
    if (token === BOUNDARY) {
      negationLeft = 0;
      at++;
      continue;
    }
    const cue = matchCueAt(tokens, at, index);
    if (cue) {
      const negated = negationLeft > 0;
      if (cue.kind === 'resolution' && negated) {
        cues.push({
          kind: 'failure',
          label: `${NEGATION_WORD[cue.language]} ${cue.prefix ? token : cue.phrase}`,
          strength: NEGATED_RESOLUTION_STRENGTH,
        });
        valence += NEGATED_RESOLUTION_VALENCE;
      } else if (!(cue.kind === 'praise' && negated)) {
        // A prefix cue is reported by the word that matched it: 'cancelled', not 'cancel*'.
        const label = cue.prefix ? token : cue.phrase;
        if (cue.kind !== 'tone') cues.push({ kind: cue.kind, label, strength: cue.strength });
        valence += cue.valence;
      }
      negationLeft = cue.endsNegated ? NEGATION_REACH : Math.max(0, negationLeft - cue.words.length);
      at += cue.words.length;
      continue;
    }
    if (NEGATORS.has(token)) {
      negationLeft = NEGATION_REACH;
      at++;
      continue;
    }
    const value = valences.get(token);
    if (value !== undefined) valence += negationLeft > 0 ? value * NEGATED_VALENCE : value;
    if (negationLeft > 0) negationLeft--;
    at++;
  }
  return { valence, cues };
}
