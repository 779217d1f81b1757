import { diffWordsWithSpace } from 'diff';

export interface DiffPart {
  op: 'same' | 'added' | 'removed';
  text: string;
}

// An approver's edit word by word: the 'same' and 'removed' parts read exactly as the author's
// text, the 'same' and 'added' parts as the text approved. jsdiff's diffWords folds spacing into
// the words and gives the new text's spacing for both, so spaces are tokens of their own here.
export function wordDiff(before: string, after: string): DiffPart[] {
  return diffWordsWithSpace(before, after).map((c) => ({ op: c.added ? 'added' : c.removed ? 'removed' : 'same', text: c.value }));
}
