// Marks punctuation in the token stream: negation scopes and cue phrases stop there.
export const BOUNDARY = '.';

// Longer posts are cut here so one pasted essay cannot cost more CPU than a few hundred tweets.
export const MAX_POST_CHARS = 5000;

export interface PostTokens {
  // Lower-case words, emoji and emoticons in reading order, with BOUNDARY for punctuation.
  tokens: string[];
  // Lower-case handles without the '@', e.g. 'acme' or 'acme@mastodon.social'.
  mentions: string[];
  // The words alone, without links, handles or punctuation, for language detection.
  plainText: string;
  hasQuestionMark: boolean;
  wordCount: number;
  // Words in capitals ("NEVER AGAIN") and stretched words ("sooooo"): both raise the volume.
  shouted: number;
  elongated: number;
  exclamations: number;
  links: number;
}

// One left-to-right pass; at each place the first of these that fits is taken, so links and
// handles win over words:
//   a link        http://… https://… www.… up to the next space (dropped, counted)
//   a handle      @name or @name@instance.tld, not inside a word or an e-mail address
//   a hashtag     #name, read as the word
//   an emoticon   :) :-( ;p =/ <3 …
//   a word        letters, marks and digits, with apostrophes inside (don't, rock'n'roll)
//   an emoji      one pictographic character
//   punctuation   a run of . , ; : ! ? ¿ ¡ ( ) [ ] " “ ” …, one BOUNDARY
// Anything else (spaces, symbols, lone surrogates) is skipped. A hand-written scanner rather than
// one Unicode regular expression with these alternatives: it runs on every post and takes about
// 60% of the expression's time, for the same tokens.
export function tokenizePost(text: string): PostTokens {
  const original = text.length > MAX_POST_CHARS ? text.slice(0, MAX_POST_CHARS) : text;
  const source = original.toLowerCase();
  const tokens: string[] = [];
  const mentions: string[] = [];
  const words: string[] = [];
  let hasQuestionMark = false;
  let elongated = 0;
  let exclamations = 0;
  let links = 0;
  const n = source.length;
  let at = 0;
  while (at < n) {
    const c = source.charCodeAt(at);
    const codePoint = codePointAt(source, at);
    let end: number;
    if ((c === H || c === W) && (end = linkEnd(source, at)) > at) {
      links++;
    } else if (c === AT && !is(codePointBefore(source, at), LETTER | NUMBER | UNDERSCORE) && (end = handleEnd(source, at + 1)) > at + 1) {
      mentions.push(source.slice(at + 1, end));
    } else if (c === HASH && (end = run(source, at + 1, LETTER | NUMBER | UNDERSCORE)) > at + 1) {
      tokens.push(source.slice(at + 1, end));
    } else if ((c === COLON || c === SEMICOLON || c === EQUALS || c === LESS_THAN) && (end = emoticonEnd(source, at)) > at) {
      tokens.push(source.slice(at, end));
    } else if (is(codePoint, WORD)) {
      end = wordEnd(source, at);
      let word = source.slice(at, end);
      if (word.includes('’')) word = word.replaceAll('’', "'");
      if (isStretched(word)) {
        elongated++;
        word = word.replace(ELONGATION, '$1$1');
      }
      tokens.push(word);
      words.push(word);
    } else if (is(codePoint, PICTOGRAPHIC)) {
      end = at + (codePoint > 0xffff ? 2 : 1);
      tokens.push(source.slice(at, end));
    } else if (is(c, PUNCTUATION)) {
      let bang = false;
      for (end = at; end < n && is(source.charCodeAt(end), PUNCTUATION); end++) {
        const p = source.charCodeAt(end);
        if (p === QUESTION) hasQuestionMark = true;
        else if (p === EXCLAMATION) bang = true;
      }
      if (bang) exclamations++;
      if (tokens.length > 0 && tokens[tokens.length - 1] !== BOUNDARY) tokens.push(BOUNDARY);
    } else {
      end = at + 1;
    }
    at = end;
  }
  return {
    tokens,
    mentions,
    plainText: words.join(' '),
    hasQuestionMark,
    wordCount: words.length,
    shouted: shoutedWords(original),
    elongated,
    exclamations,
    links,
  };
}

const H = 0x68;
const W = 0x77;
const AT = 0x40;
const HASH = 0x23;
const QUESTION = 0x3f;
const COLON = 0x3a;
const SEMICOLON = 0x3b;
const EQUALS = 0x3d;
const LESS_THAN = 0x3c;
const EXCLAMATION = 0x21;
const DOT = 0x2e;

// Where a link starting at `at` ends, or `at` when none starts there.
function linkEnd(s: string, at: number): number {
  const prefix = s.startsWith('https://', at) ? 8 : s.startsWith('http://', at) ? 7 : s.startsWith('www.', at) ? 4 : 0;
  if (prefix === 0) return at;
  let end = at + prefix;
  while (end < s.length && !is(s.charCodeAt(end), SPACE)) end++;
  return end > at + prefix ? end : at;
}

// The end of 'name' or 'name@instance.tld' from `from` (just after the '@').
function handleEnd(s: string, from: number): number {
  const name = run(s, from, LETTER | NUMBER | UNDERSCORE);
  if (name === from || s.charCodeAt(name) !== AT) return name;
  let end = run(s, name + 1, LETTER | NUMBER | HYPHEN_BIT);
  if (end === name + 1) return name;
  while (s.charCodeAt(end) === DOT) {
    const label = run(s, end + 1, LETTER | NUMBER | HYPHEN_BIT);
    if (label === end + 1) break;
    end = label;
  }
  return end;
}

const EMOTICON_EYES = new Set([':', ';', '=']);
const EMOTICON_NOSES = new Set(["'", '-']);
const EMOTICON_MOUTHS = new Set(['(', ')', '[', ']', '/', '\\', '|']);
// These mouths are letters, so they must not run on into a word (":d" yes, ":do" no).
const EMOTICON_LETTER_MOUTHS = new Set(['d', 'p', 'o']);

function emoticonEnd(s: string, at: number): number {
  if (s.startsWith('<3', at)) return at + 2;
  if (!EMOTICON_EYES.has(s[at])) return at;
  const withNose = EMOTICON_NOSES.has(s[at + 1]) ? mouthEnd(s, at + 2) : 0;
  if (withNose) return withNose;
  return mouthEnd(s, at + 1) || at;
}

function mouthEnd(s: string, at: number): number {
  const mouth = s[at];
  if (EMOTICON_MOUTHS.has(mouth)) return at + 1;
  if (EMOTICON_LETTER_MOUTHS.has(mouth) && !is(codePointAt(s, at + 1), LETTER | NUMBER)) return at + 1;
  return 0;
}

const APOSTROPHES = new Set(["'", '’']);

// Letters, marks and digits, then any number of apostrophe + letters or marks.
function wordEnd(s: string, at: number): number {
  let end = run(s, at, WORD);
  while (APOSTROPHES.has(s[end])) {
    const after = run(s, end + 1, LETTER | MARK);
    if (after === end + 1) break;
    end = after;
  }
  return end;
}

// Three or more of one letter in a row ("sooooo").
function isStretched(word: string): boolean {
  // Letters outside the BMP come as surrogate pairs; the regular expression reads those rightly.
  if (SURROGATE.test(word)) {
    ELONGATION.lastIndex = 0;
    return ELONGATION.test(word);
  }
  for (let i = 2; i < word.length; i++) {
    const c = word.charCodeAt(i);
    if (c === word.charCodeAt(i - 1) && c === word.charCodeAt(i - 2) && is(c, LETTER)) return true;
  }
  return false;
}

// Three or more of one letter: "sooooo" reads as "soo", "goooood" as "good".
const ELONGATION = /(\p{L})\1{2,}/gu;
const SURROGATE = /[\uD800-\uDFFF]/;

// Words of three or more capitals ("NEVER AGAIN"), not inside a word, handle or hashtag.
function shoutedWords(s: string): number {
  let count = 0;
  let at = 0;
  while (at < s.length) {
    const unit = s.charCodeAt(at);
    // Most characters are plain ASCII and not capitals: skipped without a look-up.
    if (unit < 0x80 && (unit < 0x41 || unit > 0x5a)) {
      at++;
      continue;
    }
    const c = codePointAt(s, at);
    const width = c > 0xffff ? 2 : 1;
    if (!is(c, UPPER) || is(codePointBefore(s, at), LETTER | NUMBER | AT_OR_HASH)) {
      at += width;
      continue;
    }
    let end = at;
    let letters = 0;
    while (end < s.length && is(codePointAt(s, end), UPPER)) {
      end += codePointAt(s, end) > 0xffff ? 2 : 1;
      letters++;
    }
    if (letters >= 3 && !is(codePointAt(s, end), LETTER | NUMBER)) count++;
    at = end;
  }
  return count;
}

function run(s: string, from: number, classes: number): number {
  let end = from;
  while (end < s.length) {
    const c = codePointAt(s, end);
    if (!is(c, classes)) break;
    end += c > 0xffff ? 2 : 1;
  }
  return end;
}

// Character classes, one bit each, looked up in a table filled as characters are first seen.
const LETTER = 1;
const MARK = 2;
const NUMBER = 4;
const UNDERSCORE = 8;
const HYPHEN_BIT = 16;
const UPPER = 32;
const SPACE = 64;
const PICTOGRAPHIC = 128;
const PUNCTUATION = 256;
const AT_OR_HASH = 512;
const WORD = LETTER | MARK | NUMBER;
const KNOWN = 1 << 15;

const CLASS_TESTS: [number, RegExp][] = [
  [LETTER, /^\p{L}$/u],
  [MARK, /^\p{M}$/u],
  [NUMBER, /^\p{N}$/u],
  [UPPER, /^\p{Lu}$/u],
  [SPACE, /^\s$/u],
  [PICTOGRAPHIC, /^\p{Extended_Pictographic}$/u],
  [PUNCTUATION, /^[.,;:!?¿¡()[\]"“”…]$/u],
];
const BMP_CLASSES = new Uint16Array(0x10000);
const ASTRAL_CLASSES = new Map<number, number>();

function classesOf(codePoint: number): number {
  let classes = 0;
  const char = String.fromCodePoint(codePoint);
  for (const [bit, test] of CLASS_TESTS) if (test.test(char)) classes |= bit;
  if (char === '_') classes |= UNDERSCORE;
  if (char === '-') classes |= HYPHEN_BIT;
  if (char === '@' || char === '#') classes |= AT_OR_HASH;
  return classes | KNOWN;
}

function is(codePoint: number, classes: number): boolean {
  if (codePoint < 0) return false;
  if (codePoint <= 0xffff) {
    let known = BMP_CLASSES[codePoint];
    if (known === 0) known = BMP_CLASSES[codePoint] = classesOf(codePoint);
    return (known & classes) !== 0;
  }
  let known = ASTRAL_CLASSES.get(codePoint);
  if (known === undefined) ASTRAL_CLASSES.set(codePoint, (known = classesOf(codePoint)));
  return (known & classes) !== 0;
}

// The code point at `at`, or -1 past the end.
function codePointAt(s: string, at: number): number {
  return at < s.length ? s.codePointAt(at)! : -1;
}

// The code point that ends just before `at`, or -1 at the start.
function codePointBefore(s: string, at: number): number {
  if (at === 0) return -1;
  const low = s.charCodeAt(at - 1);
  if ((low & 0xfc00) === 0xdc00 && at >= 2) {
    const high = s.charCodeAt(at - 2);
    if ((high & 0xfc00) === 0xd800) return (high - 0xd800) * 0x400 + (low - 0xdc00) + 0x10000;
  }
  return low;
}
