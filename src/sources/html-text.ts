// The entities posts and feeds use most; an unknown one stays as written.
const NAMED: Record<string, string> = {
  amp: '&',
  lt: '<',
  gt: '>',
  quot: '"',
  apos: "'",
  nbsp: ' ',
  shy: '',
  hellip: '…',
  mdash: '—',
  ndash: '–',
  lsquo: '‘',
  rsquo: '’',
  sbquo: '‚',
  ldquo: '“',
  rdquo: '”',
  bdquo: '„',
  laquo: '«',
  raquo: '»',
  bull: '•',
  middot: '·',
  copy: '©',
  reg: '®',
  trade: '™',
  euro: '€',
  pound: '£',
  deg: '°',
  times: '×',
  aacute: 'á',
  agrave: 'à',
  auml: 'ä',
  ccedil: 'ç',
  eacute: 'é',
  egrave: 'è',
  ecirc: 'ê',
  euml: 'ë',
  iuml: 'ï',
  oacute: 'ó',
  ouml: 'ö',
  uuml: 'ü',
  szlig: 'ß',
};

// A tag starts with a letter, / or ! (a comment, a doctype); "I <3 it" is text. Quoted attribute
// values may hold ">".
const TAG = /<[a-zA-Z/!?](?:[^>"']|"[^"]*"|'[^']*')*>/g;
// Where a block ends, the words on either side belong to different paragraphs.
const BLOCK = /<\/?(?:p|div|h[1-6]|ul|ol|blockquote|pre|table|tr|section|article|header|footer|figure|figcaption|hr)\b(?:[^>"']|"[^"]*"|'[^']*')*>/gi;

// Mastodon posts and feed entries arrive as HTML written by strangers; agents and analysis read
// them as text. Tags are dropped (never interpreted), then entities decoded, so an escaped
// "&lt;script&gt;" ends up as the text "<script>", never as markup.
export function htmlToText(html: string): string {
  return html
    .replace(/<!--[\s\S]*?(?:-->|$)/g, '')
    .replace(/<(script|style|head|template)\b[^>]*>[\s\S]*?(?:<\/\1\s*>|$)/gi, '')
    .replace(/[ \t\n\r\f]+/g, ' ')
    .replace(/<br\b[^>]*>/gi, '\n')
    .replace(/<li\b[^>]*>/gi, '\n')
    .replace(BLOCK, '\n\n')
    .replace(TAG, '')
    .replace(/&(#x[0-9a-f]+|#\d+|[a-z][a-z0-9]*);/gi, (entity, name: string) => {
      if (name[0] === '#') {
        const code = name[1] === 'x' || name[1] === 'X' ? parseInt(name.slice(2), 16) : parseInt(name.slice(1), 10);
        // As browsers do: NUL, surrogates and numbers beyond Unicode become the replacement character.
        return code > 0 && code <= 0x10ffff && (code < 0xd800 || code > 0xdfff) ? String.fromCodePoint(code) : '\uFFFD';
      }
      return NAMED[name] ?? (/^(AMP|LT|GT|QUOT)$/.test(name) ? NAMED[name.toLowerCase()] : entity);
    })
    .replace(/[ \t]+/g, ' ')
    .replace(/ ?\n ?/g, '\n')
    .replace(/\n{3,}/g, '\n\n')
    .trim();
}
