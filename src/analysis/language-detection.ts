import eld from 'eld/small';
import type { Language } from './analysis-result.js';
import { valencesFor } from './sentiment-lexicon.js';

const TAG_SEPARATOR = /[-_]/;
const WORD_SEPARATOR = ' ';

// ISO 639-1 and 639-2 spellings a platform may send.
const HINTED_LANGUAGES: ReadonlyMap<string, Language> = new Map([
  ['nl', 'nl'],
  ['nld', 'nl'],
  ['dut', 'nl'],
  ['en', 'en'],
  ['eng', 'en'],
]);

// Function words and common words that belong to one of the two languages: a full vote for words
// other European languages hardly use, half a vote for those they share ("to" is Polish, "for"
// Danish, "a" Romance; "de" and "en" are French and Spanish, "die" and "als" German).
// Words both languages use ("is", "in", "was", "over", "me", "u", "van") vote for neither.
const FULL = 1;
const HALF = 0.5;
// Dutch votes count positive and English ones negative, so that a word costs one look-up.
const VOTES = votes(1, {
  [FULL]: [
    'het', 'een', 'niet', 'ik', 'mijn', 'nog', 'geen', 'wel', 'maar', 'zijn', 'ook', 'naar', 'bij', 'jullie',
    'heb', 'hebben', 'weer', 'mij', 'wij', 'zij', 'hij', 'wordt', 'deze', 'voor', 'niets', 'waar', 'wanneer',
    'zou', 'moet', 'kunnen', 'omdat', 'steeds', 'bedankt', 'ze', 'zo', 'nee', 'dat', 'wat', 'je', 'jij', 'uw', 'onze', 'ons',
    'heeft', 'hebt', 'werd', 'geweest', 'zal', 'alleen', 'altijd', 'nooit', 'echt', 'heel', 'veel', 'goed', 'slecht', 'dank',
    'graag', 'alweer', 'vandaag', 'morgen', 'gisteren', 'waarom', 'hoe', 'kunt', 'zich', 'op', 'aan', 'uit', 'terug', 'gaan',
    'gaat', 'komen', 'komt', 'zeer', 'uur', 'zeker', 'goede', 'eten', 'lekker', 'lekkere', 'mooi', 'mooie', 'ontvangen',
    'vriendelijk', 'vriendelijke', 'bediening', 'kwaliteit', 'aanrader', 'gezellig', 'jaar', 'toch',
    'nieuwe', 'samen', 'tegen', 'eerste', 'tweede', 'keer', 'houden', 'werkt', 'snel', 'doen', 'wil', 'mee', 'vragen',
  ],
  [HALF]: ['de', 'en', 'te', 'om', 'die', 'er', 'meer', 'dan', 'als', 'dit', 'hier', 'alles', 'kan', 'nu', 'tot', 'worden', 'na', 'eigen'],
}, votes(-1, {
  [FULL]: [
    'the', 'and', 'not', 'my', 'that', 'with', 'still', 'but', 'it', 'are', 'have', 'your', 'this', 'you', 'of',
    'what', 'just', "can't", "don't", "i'm", "it's", 'been', 'from', 'would', 'they', 'there', 'their', 'why',
    'when', 'please', 'thanks', 'get', 'got', 'our', 'has', 'had', 'will', 'about', 'which', 'who', 'does', 'did', "doesn't",
    "didn't", "isn't", "won't", "i've", "i'll", "you're", "they're", "we're", 'thank', 'could', 'should', 'these', 'those',
    'than', 'them', 'him', 'his', 'she', 'he', 'were', 'because', 'how', 'know', 'think', 'want', 'need', 'today', 'really',
    'very', 'only', 'also', 'some', 'every', 'never', 'always', 'again', 'here', 'where', 'yes', 'new', 'people', 'love',
    'like', 'good', 'great', 'best', 'now', 'up', 'out', 'after', 'going', 'into', 'off', 'its', 'see', 'too', 'says',
    'against', 'next', 'first', 'right', 'time', 'tomorrow', 'happy', 'day', 'news', 'watch', 'world', 'can', 'one',
    'be', 'us', 'all', 'more', 'or', 'any', 'waiting', 'hours', 'back', 'go', 'down', 'customer', 'wish', 'give', 'feel',
    'better', 'soon', 'sick', 'number', 'received', 'message', 'yeah', 'wait', 'stop', 'something', 'nothing',
    'everything', 'someone', 'anyone', 'everyone', 'way', 'year', 'last', "he's", "she's", "that's", "what's", "there's",
    "let's", "you've", "we've", "haven't", "wasn't", "aren't", "couldn't", "wouldn't", "shouldn't", 'win', 'check', 'sent',
    'flight', 'train', 'available',
  ],
  [HALF]: ['to', 'for', 'on', 'i', 'a', 'an', 'by', 'at', 'so', 'do', 'no'],
}));
// Common words of other European languages that Dutch and English do not use: one of them
// leaves the post to eld, however many Dutch or English words it has. Not "la" or "il": in
// English posts they are Los Angeles and Illinois.
const FOREIGN_WORDS: ReadonlySet<string> = new Set([
  'und', 'der', 'ist', 'nicht', 'ich', 'sie', 'das', 'auf', 'mit', 'sich', 'noch', 'auch', 'nach', 'wir', 'bitte',
  'le', 'les', 'que', 'qui', 'une', 'des', 'du', 'mais', 'avec', 'sur', "c'est", 'très',
  'el', 'es', 'por', 'para', 'pero', 'muy', 'una', 'del', 'su',
  'di', 'che', 'è', 'sono', 'gli', 'della', 'ho', 'molto', 'anche',
  'não', 'uma', 'mas', 'muito', 'ainda', 'já', 'minha', 'meu',
  'og', 'ikke', 'jeg', 'det', 'har', 'och', 'inte', 'är', 'att', 'på', 'med',
  'nie', 'jest', 'się', 'że', 'jak',
]);
// Kept in the same map, as 0; where a word is Dutch or English as well, that vote stands.
const FOREIGN = 0;
for (const word of FOREIGN_WORDS) if (!VOTES.has(word)) VOTES.set(word, FOREIGN);
// One side decides without eld (~30 µs on a tweet, against ~1 µs for this count) when it has a
// word of its own (a full vote: half votes alone prove nothing) and this many times the other's votes.
const MAJORITY_FACTOR = 3;
const ELD_CHARS = 160;

// 'nl-NL', 'EN_gb' and 'eng' all count; anything else (including 'und' or 'de') leaves it to detection.
export function languageFromHint(hint: string | null | undefined): Language | null {
  if (typeof hint !== 'string' || hint.length === 0) return null;
  const primary = hint.trim().toLowerCase().split(TAG_SEPARATOR, 1)[0];
  return HINTED_LANGUAGES.get(primary) ?? null;
}

// plainText: lower-case words separated by single spaces, as tokenizePost gives them.
// words: the post's tokens when the caller has them, to save splitting plainText again.
export function detectLanguage(plainText: string, hint?: string | null, words?: readonly string[]): Language {
  const hinted = languageFromHint(hint);
  if (hinted) return hinted;
  if (plainText.length === 0) return 'other';
  const tokens = words ?? plainText.split(WORD_SEPARATOR);
  const byFunctionWords = languageByFunctionWords(tokens);
  if (byFunctionWords === 'nl' || byFunctionWords === 'en') return byFunctionWords;
  // "horrible customer service": no function word, but a sentiment word only English has.
  const bySentimentWords = byFunctionWords === 'foreign' ? null : languageBySentimentWords(tokens);
  if (bySentimentWords) return bySentimentWords;
  // eld's small dataset told short Dutch from English posts apart 20 times out of 20. Its cost
  // grows with the text, its certainty hardly after the first sentence or two.
  const detected = eld.detect(plainText.length > ELD_CHARS ? plainText.slice(0, ELD_CHARS) : plainText).language;
  return detected === 'nl' || detected === 'en' ? detected : 'other';
}

// 'foreign' when a word of another language was seen: then only eld decides.
function languageByFunctionWords(words: readonly string[]): 'nl' | 'en' | 'foreign' | null {
  let dutch = 0;
  let english = 0;
  let dutchOwn = false;
  let englishOwn = false;
  for (const word of words) {
    const vote = VOTES.get(word);
    if (vote === undefined) continue;
    if (vote === FOREIGN) return 'foreign';
    if (vote > 0) {
      dutch += vote;
      dutchOwn ||= vote === FULL;
    } else {
      english -= vote;
      englishOwn ||= vote === -FULL;
    }
  }
  if (dutchOwn && english * MAJORITY_FACTOR <= dutch) return 'nl';
  if (englishOwn && dutch * MAJORITY_FACTOR <= english) return 'en';
  return null;
}

// Words of one language's sentiment lexicon that the other's lacks, all on one side. The
// function words have had their say ("no" is Spanish too), and short words are shared by too
// many languages ("ha").
const MIN_SENTIMENT_WORD = 4;
function languageBySentimentWords(words: readonly string[]): 'nl' | 'en' | null {
  const english = valencesFor('en');
  const dutch = valencesFor('nl');
  let englishOnly = 0;
  let dutchOnly = 0;
  for (const word of words) {
    if (word.length < MIN_SENTIMENT_WORD || VOTES.has(word)) continue;
    const inEnglish = english.has(word);
    if (inEnglish !== dutch.has(word)) {
      if (inEnglish) englishOnly++;
      else dutchOnly++;
    }
  }
  if (englishOnly > 0 && dutchOnly === 0) return 'en';
  if (dutchOnly > 0 && englishOnly === 0) return 'nl';
  return null;
}

function votes(sign: 1 | -1, byWeight: Record<number, string[]>, into = new Map<string, number>()): Map<string, number> {
  for (const [weight, words] of Object.entries(byWeight)) for (const word of words) into.set(word, sign * Number(weight));
  return into;
}
