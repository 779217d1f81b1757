import { describe, expect, it } from '@jest/globals';
import { wordDiff } from './reply-diff.js';

const author = (parts: ReturnType<typeof wordDiff>) => parts.filter((p) => p.op !== 'added').map((p) => p.text).join('');
const approved = (parts: ReturnType<typeof wordDiff>) => parts.filter((p) => p.op !== 'removed').map((p) => p.text).join('');

describe("an approver's edit as a word diff", () => {
  it('shows the words kept, added and removed', () => {
    expect(wordDiff('Hi Anna, we are sorry. We will refund you today.', 'Hi Anna, we are truly sorry. We will refund the full amount today.')).toEqual([
      { op: 'same', text: 'Hi Anna, we are ' },
      { op: 'added', text: 'truly ' },
      { op: 'same', text: 'sorry. We will refund ' },
      { op: 'removed', text: 'you' },
      { op: 'added', text: 'the' },
      { op: 'same', text: ' ' },
      { op: 'added', text: 'full amount ' },
      { op: 'same', text: 'today.' },
    ]);
  });

  it('reads back as exactly both texts, spacing and line breaks included', () => {
    for (const [before, after] of [
      ['A new one goes out today.', 'A new one goes out today by express.'],
      ['Hi  Anna,\nsorry', 'Hi Anna, sorry'],
      ['Sorry!', ''],
      ['Hoi Fleur, sorry 🌷', 'Hoi Fleur, het spijt ons echt 🌷'],
    ]) {
      const diff = wordDiff(before, after);
      expect([author(diff), approved(diff)]).toEqual([before, after]);
    }
  });

  it('is one unchanged part when nothing changed', () => {
    expect(wordDiff('Sorry!', 'Sorry!')).toEqual([{ op: 'same', text: 'Sorry!' }]);
  });
});
