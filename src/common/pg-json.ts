// PostgreSQL's text and jsonb refuse NUL characters and lone surrogates; strangers' posts may
// carry both. They become nothing and U+FFFD, so one odd post never blocks a page.
export function pgSafeText(value: string): string {
  return value.toWellFormed().replaceAll('\u0000', '');
}

export function pgSafeJson(value: unknown): string {
  return JSON.stringify(value, (_, v: unknown) => (typeof v === 'string' ? pgSafeText(v) : v));
}
