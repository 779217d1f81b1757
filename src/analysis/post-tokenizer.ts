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

const SHOUTED_WORD = /(?<![\p{L}\p{N}@#])\p{Lu}{3,}(?![\p{L}\p{N}])/gu;
// Three or more of one letter: "sooooo" reads as "soo", "goooood" as "good".
const ELONGATION = /(\p{L})\1{2,}/gu;

// One pass over the text; alternatives are tried left to right, so links and handles win over words.
const TOKEN_PATTERN = new RegExp(
  [
    '(?:https?:\\/\\/|www\\.)\\S+',
    '(?<![\\p{L}\\p{N}_])@([\\p{L}\\p{N}_]+(?:@[\\p{L}\\p{N}-]+(?:\\.[\\p{L}\\p{N}-]+)*)?)',
    '#([\\p{L}\\p{N}_]+)',
    '([:;=][\'-]?(?:[()\\[\\]/\\\\|]|[dpo](?![\\p{L}\\p{N}]))|<3)',
    '([\\p{L}\\p{M}\\p{N}]+(?:[\'’][\\p{L}\\p{M}]+)*)',
    '(\\p{Extended_Pictographic})',
    '([.,;:!?¿¡()\\[\\]"“”…]+)',
  ].join('|'),
  'gu',
);

export function tokenizePost(text: string): PostTokens {
  const original = text.length > MAX_POST_CHARS ? text.slice(0, MAX_POST_CHARS) : text;
  const shouted = original.match(SHOUTED_WORD)?.length ?? 0;
  const source = original.toLowerCase();
  const tokens: string[] = [];
  const mentions: string[] = [];
  const words: string[] = [];
  let hasQuestionMark = false;
  let elongated = 0;
  let exclamations = 0;
  let links = 0;
  TOKEN_PATTERN.lastIndex = 0;
  let match: RegExpExecArray | null;
  while ((match = TOKEN_PATTERN.exec(source)) !== null) {
    const [, mention, hashtag, emoticon, word, emoji, punctuation] = match;
    if (mention !== undefined) {
      mentions.push(mention);
    } else if (hashtag !== undefined) {
      tokens.push(hashtag);
    } else if (emoticon !== undefined) {
      tokens.push(emoticon);
    } else if (word !== undefined) {
      let normalised = word.includes('’') ? word.replaceAll('’', "'") : word;
      ELONGATION.lastIndex = 0;
      if (ELONGATION.test(normalised)) {
        elongated++;
        normalised = normalised.replace(ELONGATION, '$1$1');
      }
      tokens.push(normalised);
      words.push(normalised);
    } else if (emoji !== undefined) {
      tokens.push(emoji);
    } else if (punctuation !== undefined) {
      if (punctuation.includes('?')) hasQuestionMark = true;
      if (punctuation.includes('!')) exclamations++;
      if (tokens.length > 0 && tokens[tokens.length - 1] !== BOUNDARY) tokens.push(BOUNDARY);
    } else {
      // The first alternative, a link, is the one that captures nothing.
      links++;
    }
  }
  return { tokens, mentions, plainText: words.join(' '), hasQuestionMark, wordCount: words.length, shouted, elongated, exclamations, links };
}
