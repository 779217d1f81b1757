// X escapes three characters in a post's text and nothing else; the text is shown and analysed
// as the customer typed it, never read as markup.
const ESCAPED: Record<string, string> = { '&amp;': '&', '&lt;': '<', '&gt;': '>' };

export function decodeXText(text: string): string {
  // One pass, so "&amp;lt;" becomes "&lt;" (what the customer typed), not "<".
  return text.replace(/&(?:amp|lt|gt);/g, (entity) => ESCAPED[entity]);
}

export const X_MAX_WEIGHT = 280;
const LINK_WEIGHT = 23;
// twitter-text's configuration v3: these code points weigh 1, every other one 2 (CJK, emoji).
const LIGHT: [number, number][] = [
  [0x0000, 0x10ff],
  [0x2000, 0x200d],
  [0x2010, 0x201f],
  [0x2032, 0x2037],
];
const LINK = /(https?:\/\/)?(?:[\p{L}\p{N}-]+\.)+[a-z]{2,}(?:\/[^\s]*)?/giu;

// A reply's length as X counts it, erring long: a link with a scheme is 23 (X shortens it to t.co),
// one without a scheme at least 23 (X links it when it knows the domain), each code point outside
// the light ranges 2, and an emoji sequence its code points' sum (X counts such a sequence as 2).
export function xTextLength(text: string): number {
  let length = 0;
  let last = 0;
  const normalised = text.normalize('NFC');
  for (const match of normalised.matchAll(LINK)) {
    length += weight(normalised.slice(last, match.index));
    length += match[1] ? LINK_WEIGHT : Math.max(LINK_WEIGHT, weight(match[0]));
    last = match.index + match[0].length;
  }
  return length + weight(normalised.slice(last));
}

function weight(text: string): number {
  let sum = 0;
  for (const char of text) {
    const code = char.codePointAt(0)!;
    sum += LIGHT.some(([from, to]) => code >= from && code <= to) ? 1 : 2;
  }
  return sum;
}
