// A set of phrases matched against a post's tokens joined by spaces: whole words only, and a
// trailing '*' matches any ending ("refund*" finds "refunded"). One regular expression per set.
export class PhraseMatcher {
  private readonly pattern: RegExp;

  constructor(phrases: readonly string[]) {
    const alternatives = [...phrases]
      .sort((a, b) => b.length - a.length)
      .map((p) => (p.endsWith('*') ? `${escape(p.slice(0, -1))}[^ ]*` : escape(p)));
    this.pattern = new RegExp(`(?<=^| )(?:${alternatives.join('|')})(?= |$)`, 'gu');
  }

  // The phrases found, in order; at most `limit`.
  find(text: string, limit = 8): string[] {
    const found: string[] = [];
    this.pattern.lastIndex = 0;
    let match: RegExpExecArray | null;
    while (found.length < limit && (match = this.pattern.exec(text)) !== null) found.push(match[0]);
    return found;
  }

  test(text: string): boolean {
    this.pattern.lastIndex = 0;
    return this.pattern.test(text);
  }
}

function escape(phrase: string): string {
  return phrase.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
