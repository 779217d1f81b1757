import type { Language } from './analysis-result.js';
import { ENGLISH_TONE_PHRASES } from './sentiment-lexicon.js';

// failure: something went wrong; resolution: it was put right (negated, it becomes a failure);
// praise: thanks and compliments; tone: sentiment only, no say in the complaint decision.
export type CueKind = 'failure' | 'resolution' | 'praise' | 'tone';

export interface Cue {
  phrase: string;
  words: readonly string[];
  kind: CueKind;
  // How much this cue says about its kind, relative to others of the same kind.
  strength: number;
  // Its contribution to sentiment, on the lexicon's -1 .. 1 scale.
  valence: number;
  language: 'en' | 'nl';
  // A word that means something else in the other language ('lost', 'stuk') only counts in its own.
  ownLanguageOnly: boolean;
  // A trailing '*' in the phrase: the single word matches as a prefix (cancel* → cancelled).
  prefix: boolean;
  // The phrase ends in a negation ("nog steeds niet"), so what follows is negated.
  endsNegated: boolean;
}

interface CueGroup {
  kind: CueKind;
  strength: number;
  valence: number;
  language: 'en' | 'nl';
  ownLanguageOnly?: boolean;
  phrases: string[];
}

const STRONG = 2;
const MEDIUM = 1.2;
const WEAK = 0.6;

const CUE_GROUPS: CueGroup[] = [
  {
    kind: 'failure',
    strength: STRONG,
    valence: -0.5,
    language: 'en',
    phrases: [
      'still waiting', 'still not', 'still no', "still haven't", "still hasn't", "still can't", "still doesn't",
      "still don't", "still isn't", "still won't", 'still havent', 'still hasnt', 'still cant', 'still doesnt',
      'never arrived', 'never received', 'never got', 'never came', 'never showed up',
      'not working', "isn't working", 'isnt working', "doesn't work", 'doesnt work', "don't work", 'dont work',
      "didn't work", "won't work", 'wont work', 'stopped working', 'does not work', 'not arrived', "hasn't arrived",
      'charged twice', 'charged me twice', 'double charged', 'charged double', 'overcharged', 'charged me again',
      'no response', 'no reply', 'no answer', 'no one answers', 'nobody answers', 'no one responds',
      'nobody responds', 'nobody replied', 'no one replied', 'not responding', 'no help', 'no one helps',
      'no power', 'no internet', 'no signal', 'no service', 'no wifi', 'no connection',
      'is down', 'are down', 'been down', 'went down', 'still down', 'app down', 'apps down', 'site down',
      'website down', 'server down', 'servers down', 'outage', 'crash*',
      'worst', 'worse', 'broken', 'rip off', 'ripped off', 'unacceptable', 'fed up', 'on hold', 'wrong order',
      'wrong item', 'missing', 'delay*', 'nothappy', 'badservice', 'never again', 'never buying', 'last time i',
      "can't log", 'cant log', 'cannot log', "can't access", 'cant access', 'cannot access', 'unable to',
      'not happy', 'terrible service', 'poor service', 'bad service', 'horrible service',
      'disappoint*', 'frustrat*', 'ridiculous', 'useless', 'pathetic', 'awful', 'terrible', 'horrible',
    ],
  },
  {
    kind: 'failure',
    strength: MEDIUM,
    valence: -0.2,
    language: 'en',
    phrases: [
      'issue', 'issues', 'problem', 'problems', 'complain*', 'error', 'declined', 'failed', 'fail', 'poor', 'slow',
      'late', 'damaged', 'faulty', 'stuck', 'broke', 'scam', 'lost my', 'impossible', 'invalid', 'expired',
      'denied', 'wrong', 'bug', 'bugs', 'waste', 'regret*', 'lose my business', 'not recommended', 'annoy*',
      'not even', 'kidding me', 'what gives',
    ],
  },
  // Waiting and repetition are neutral words; they only tell a complaint together with something else.
  {
    kind: 'failure',
    strength: MEDIUM,
    valence: 0,
    language: 'en',
    phrases: [
      'waiting', 'waited', 'still', 'again', 'yet again', 'every time', 'fix', 'sort it out', 'sort this out',
      'how long', 'hours', 'days', 'weeks', 'refund', 'cancel*', 'keeps', 'keep getting', 'keep having',
      'no longer', 'supposed to', 'where is my', "where's my", 'any update', 'charged', 'what the',
    ],
  },
  { kind: 'failure', strength: MEDIUM, valence: -0.3, language: 'en', ownLanguageOnly: true, phrases: ['lost'] },
  { kind: 'failure', strength: WEAK, valence: -0.1, language: 'en', phrases: ['why', 'seriously', 'really'] },
  // Support talk: a post that already points at a DM is usually a case in progress.
  { kind: 'failure', strength: WEAK, valence: 0, language: 'en', phrases: ['dm', 'dms', 'look into this'] },
  // Something that can't, won't or didn't happen is often the failure itself.
  {
    kind: 'failure',
    strength: WEAK,
    valence: 0,
    language: 'en',
    phrases: [
      "can't", 'cant', 'cannot', "won't", 'wont', "doesn't", 'doesnt', "didn't", 'didnt', "isn't", 'isnt',
      "haven't", 'havent', "hasn't", 'hasnt',
    ],
  },
  {
    kind: 'failure',
    strength: STRONG,
    valence: -0.5,
    language: 'nl',
    phrases: [
      'nog steeds niet', 'nog steeds geen', 'nog steeds niks', 'nog altijd niet', 'nog altijd geen',
      'niet geleverd', 'niet bezorgd', 'niet aangekomen', 'nooit aangekomen', 'nooit ontvangen',
      'geen reactie', 'geen antwoord', 'geen bericht', 'niets gehoord', 'niks gehoord', 'geen hulp',
      'werkt niet', 'werkt nog steeds niet', 'werkt weer niet', 'werkt het niet', 'doet het niet',
      'doet het nog steeds niet', 'geen internet', 'geen bereik', 'geen stroom', 'geen verbinding',
      'kapot', 'defect', 'kastje naar de muur', 'slechte service', 'slechte klantenservice', 'dubbel betaald',
      'dubbel afgeschreven', 'twee keer afgeschreven', 'twee keer betaald', 'onacceptabel', 'storing',
      'vertraging', 'vertraagd', 'zoekgeraakt', 'kwijtgeraakt', 'oplichting', 'oplichters', 'niet bereikbaar',
      'onbereikbaar', 'teleurgesteld', 'teleurstellend', 'schandalig', 'belachelijk', 'waardeloos', 'slechtste',
    ],
  },
  {
    kind: 'failure',
    strength: MEDIUM,
    valence: -0.2,
    language: 'nl',
    phrases: [
      'klacht', 'probleem', 'problemen', 'fout', 'foutmelding', 'verkeerde', 'kwijt', 'geannuleerd',
      'geen zin meer', 'lukt niet', 'lukt het niet', 'kan niet', 'kan geen', 'krijg geen', 'kunnen niet',
      'kunnen geen',
    ],
  },
  {
    kind: 'failure',
    strength: MEDIUM,
    valence: 0,
    language: 'nl',
    phrases: [
      'nog steeds', 'nog altijd', 'alweer', 'weer eens', 'wachten', 'wacht', 'gewacht', 'al weken', 'al dagen',
      'weken', 'dagen', 'hoe lang', 'terugbetaling', 'geld terug',
    ],
  },
  { kind: 'failure', strength: WEAK, valence: -0.2, language: 'nl', ownLanguageOnly: true, phrases: ['stuk'] },
  { kind: 'failure', strength: WEAK, valence: -0.1, language: 'nl', phrases: ['waarom', 'opnieuw'] },
  {
    kind: 'resolution',
    strength: STRONG,
    valence: 0.5,
    language: 'en',
    phrases: [
      'sorted', 'all sorted', 'sorted now', 'resolved', 'solved', 'fixed', 'fixed now', 'works again',
      'working again', 'works now', 'working now', 'works fine', 'works perfectly', 'it works', 'all good',
      'got it', 'refunded', 'worked', 'it works again', 'it worked', 'it is working', "it's working", 'its working',
      'is working again',
    ],
  },
  // Weak: "the worst service I have ever received" is no resolution; negated they still count in full.
  { kind: 'resolution', strength: WEAK, valence: 0.2, language: 'en', phrases: ['arrived', 'received', 'delivered'] },
  {
    kind: 'resolution',
    strength: STRONG,
    valence: 0.5,
    language: 'nl',
    phrases: [
      'opgelost', 'gelukt', 'werkt weer', 'werkt het weer', 'het werkt weer', 'het werkt nu', 'werkt nu',
      'het werkt', 'werkt prima', 'werkt perfect', 'terugbetaald', 'teruggestort', 'in orde', 'geregeld', 'alles goed',
    ],
  },
  {
    kind: 'resolution',
    strength: WEAK,
    valence: 0.2,
    language: 'nl',
    phrases: ['ontvangen', 'geleverd', 'bezorgd', 'aangekomen'],
  },
  {
    kind: 'praise',
    strength: STRONG,
    valence: 0.6,
    language: 'en',
    phrases: [
      'thank you so much', 'thanks so much', 'thanks a lot', 'many thanks', 'great service', 'great job',
      'well done', 'quick help', 'quick response', 'fast response', 'helpful', 'kudos', 'love', 'awesome',
      'amazing', 'excellent', 'the best', 'brilliant', 'appreciate*', 'no problem', 'no worries', 'thanks again',
    ],
  },
  {
    kind: 'praise',
    strength: MEDIUM,
    valence: 0.5,
    language: 'en',
    phrases: ['thanks', 'thank you', 'thank u', 'thx', 'thnx', 'ty', 'cheers'],
  },
  {
    kind: 'praise',
    strength: STRONG,
    valence: 0.6,
    language: 'nl',
    phrases: [
      'dank je wel', 'dank u wel', 'dankjewel', 'dankuwel', 'heel erg bedankt', 'super bedankt', 'geweldig',
      'fijn', 'prima', 'snel geholpen', 'goed geholpen', 'chapeau', 'complimenten', 'tevreden', 'topservice',
      'geen probleem', 'geen zorgen',
    ],
  },
  { kind: 'praise', strength: MEDIUM, valence: 0.5, language: 'nl', phrases: ['bedankt', 'dank je', 'dank u'] },
  {
    kind: 'praise',
    strength: STRONG,
    valence: 0.6,
    language: 'nl',
    ownLanguageOnly: true,
    phrases: ['top', 'super', 'toppie'],
  },
  { kind: 'praise', strength: MEDIUM, valence: 0.5, language: 'nl', ownLanguageOnly: true, phrases: ['dank'] },
  // Politeness before the request has been answered says nothing about the outcome.
  {
    kind: 'tone',
    strength: 0,
    valence: 0,
    language: 'en',
    phrases: ['thanks in advance', 'thank you in advance', 'thx in advance'],
  },
  { kind: 'tone', strength: 0, valence: 0, language: 'nl', phrases: ['alvast bedankt', 'bij voorbaat dank'] },
];

export const NEGATORS: ReadonlySet<string> = new Set([
  'not', 'no', 'never', 'nothing', 'nobody', 'none', 'neither', 'nor', 'cannot', 'without', 'nope', 'nah',
  "don't", "doesn't", "didn't", "isn't", "aren't", "wasn't", "weren't", "can't", "couldn't", "won't",
  "wouldn't", "shouldn't", "haven't", "hasn't", "hadn't", "ain't", 'dont', 'doesnt', 'didnt', 'isnt', 'arent',
  'wasnt', 'werent', 'cant', 'couldnt', 'wont', 'wouldnt', 'shouldnt', 'havent', 'hasnt', 'hadnt', 'aint',
  'niet', 'nooit', 'geen', 'niets', 'niks', 'niemand', 'nergens', 'zonder', 'nee', 'neen',
]);

// A question that opens this way asks for something; on its own it is not a complaint.
export const QUESTION_OPENERS: ReadonlySet<string> = new Set([
  'can', 'could', 'would', 'will', 'is', 'are', 'do', 'does', 'did', 'when', 'where', 'how', 'what', 'which',
  'who', 'have', 'has', 'may', 'should', 'kan', 'kun', 'kunt', 'kunnen', 'zijn', 'wanneer', 'waar', 'hoe',
  'wat', 'welke', 'wie', 'heb', 'hebt', 'hebben', 'mag', 'moet', 'wordt', 'zou', 'zouden',
]);

export interface CueIndex {
  // Keyed by first word, longest phrase first.
  byFirstWord: ReadonlyMap<string, readonly Cue[]>;
  // Prefix cues (cancel*) by their first letter's code: a token tries only those few.
  prefixes: ReadonlyMap<number, readonly Cue[]>;
}

function compileCues(): Cue[] {
  const cues: Cue[] = [];
  const seen = new Set<string>();
  const add = (cue: Omit<Cue, 'words' | 'prefix' | 'endsNegated'>) => {
    // The first listing of a phrase wins, so the cue groups override AFINN's phrases.
    if (seen.has(cue.phrase)) return;
    seen.add(cue.phrase);
    const prefix = cue.phrase.endsWith('*');
    const words = (prefix ? cue.phrase.slice(0, -1) : cue.phrase).split(' ');
    cues.push({ ...cue, words, prefix, endsNegated: NEGATORS.has(words[words.length - 1]) });
  };
  for (const { phrases, ownLanguageOnly = false, ...group } of CUE_GROUPS) {
    for (const phrase of phrases) add({ ...group, ownLanguageOnly, phrase });
  }
  for (const [phrase, valence] of ENGLISH_TONE_PHRASES) {
    add({ phrase, kind: 'tone', strength: 0, valence, language: 'en', ownLanguageOnly: false });
  }
  return cues;
}

function indexFor(cues: Cue[], language: Language): CueIndex {
  const byFirstWord = new Map<string, Cue[]>();
  const prefixes = new Map<number, Cue[]>();
  for (const cue of cues) {
    if (cue.ownLanguageOnly && language !== 'other' && language !== cue.language) continue;
    if (cue.prefix) {
      const first = cue.words[0].charCodeAt(0);
      prefixes.set(first, [...(prefixes.get(first) ?? []), cue]);
      continue;
    }
    const list = byFirstWord.get(cue.words[0]) ?? [];
    list.push(cue);
    byFirstWord.set(cue.words[0], list);
  }
  for (const list of byFirstWord.values()) list.sort((a, b) => b.words.length - a.words.length);
  return { byFirstWord, prefixes };
}

const ALL_CUES = compileCues();

// Multi-word cues are distinctive across Dutch and English, so mixed-language posts keep both sets.
const INDEXES: Record<Language, CueIndex> = {
  en: indexFor(ALL_CUES, 'en'),
  nl: indexFor(ALL_CUES, 'nl'),
  other: indexFor(ALL_CUES, 'other'),
};

export function cueIndexFor(language: Language): CueIndex {
  return INDEXES[language];
}

// The longest cue starting at tokens[at], or null. `candidates`: the cues whose first word is
// tokens[at], when the caller has looked them up already.
export function matchCueAt(tokens: readonly string[], at: number, index: CueIndex, candidates = index.byFirstWord.get(tokens[at])): Cue | null {
  if (candidates) {
    for (const cue of candidates) {
      if (at + cue.words.length > tokens.length) continue;
      let matches = true;
      for (let k = 1; k < cue.words.length; k++) {
        if (tokens[at + k] !== cue.words[k]) {
          matches = false;
          break;
        }
      }
      if (matches) return cue;
    }
  }
  const token = tokens[at];
  const prefixed = index.prefixes.get(token.charCodeAt(0));
  if (prefixed) for (const cue of prefixed) if (token.startsWith(cue.words[0])) return cue;
  return null;
}
