// PostgreSQL's text and jsonb refuse NUL characters and lone surrogates; strangers' posts may
// carry both. They become nothing and U+FFFD, so one odd post never blocks a page.
export function pgSafeText(value: string): string {
  return value.toWellFormed().replaceAll('\u0000', '');
}

// JSON.stringify writes NUL and every lone surrogate as a \u escape (a surrogate pair stays
// literal), so cleaning its output is one pass over the string, not a callback per value.
// An escape preceded by an odd run of backslashes is text the sender typed, and is kept.
const UNSAFE_ESCAPE = /(?<!\\)((?:\\\\)*)\\u(0000|d[89a-f][0-9a-f]{2})/gi;

export function pgSafeJson(value: unknown): string {
  const json = JSON.stringify(value);
  // Most pages hold no escape at all: one scan for "\u" spares the regular expression's.
  if (!json.includes('\\u')) return json;
  return json.replace(UNSAFE_ESCAPE, (_, backslashes: string, code: string) => (code === '0000' ? backslashes : `${backslashes}\\ufffd`));
}
