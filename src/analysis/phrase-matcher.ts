// A set of phrases matched against a post's words (its tokens without punctuation): whole words
// only, and a trailing '*' matches any ending ("refund*" finds "refunded"). Where several phrases
// start at one word the longest wins, and the search goes on after it.
export class PhraseMatcher {
  // Phrases by their first word, and those whose only word is a prefix by its first letter;
  // each list longest phrase first, so the first that matches is the one to take.
  private readonly byFirstWord = new Map<string, Phrase[]>();
  private readonly byFirstLetter: Phrase[][] = [];

  constructor(phrases: readonly string[]) {
    const sorted = [...phrases].sort((a, b) => b.length - a.length);
    sorted.forEach((text, rank) => {
      const prefix = text.endsWith('*');
      const words = (prefix ? text.slice(0, -1) : text).split(' ');
      const phrase: Phrase = { words, prefix, rank };
      if (prefix && words.length === 1) (this.byFirstLetter[words[0].charCodeAt(0)] ??= []).push(phrase);
      else push(this.byFirstWord, words[0], phrase);
    });
  }

  // The phrases found, as the words they matched, in order; at most `limit`.
  find(words: readonly string[], limit = 8): string[] {
    const found: string[] = [];
    for (let at = 0; at < words.length && found.length < limit; ) {
      const phrase = this.longestAt(words, at);
      if (!phrase) {
        at++;
        continue;
      }
      const n = phrase.words.length;
      found.push(n === 1 ? words[at] : words.slice(at, at + n).join(' '));
      at += n;
    }
    return found;
  }

  test(words: readonly string[]): boolean {
    for (let at = 0; at < words.length; at++) if (this.longestAt(words, at)) return true;
    return false;
  }

  private longestAt(words: readonly string[], at: number): Phrase | null {
    const byWord = firstMatch(this.byFirstWord.get(words[at]), words, at);
    const byLetter = firstMatch(this.byFirstLetter[words[at].charCodeAt(0)], words, at);
    if (byWord && byLetter) return byWord.rank < byLetter.rank ? byWord : byLetter;
    return byWord ?? byLetter;
  }
}

interface Phrase {
  words: string[];
  // The last word matches as a prefix.
  prefix: boolean;
  // Its place when all phrases are sorted longest first: the lower, the more specific.
  rank: number;
}

function firstMatch(candidates: Phrase[] | undefined, words: readonly string[], at: number): Phrase | null {
  if (!candidates) return null;
  for (const phrase of candidates) if (matchesAt(phrase, words, at)) return phrase;
  return null;
}

function matchesAt({ words: expected, prefix }: Phrase, words: readonly string[], at: number): boolean {
  if (at + expected.length > words.length) return false;
  const last = expected.length - 1;
  for (let k = 0; k < last; k++) if (words[at + k] !== expected[k]) return false;
  return prefix ? words[at + last].startsWith(expected[last]) : words[at + last] === expected[last];
}

function push(map: Map<string, Phrase[]>, key: string, phrase: Phrase): void {
  const list = map.get(key);
  if (list) list.push(phrase);
  else map.set(key, [phrase]);
}
