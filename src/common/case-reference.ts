// A short number agents can say aloud and customers can quote: C-42.
export function caseReference(number: number): string {
  return `C-${number}`;
}
