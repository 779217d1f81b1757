import { wordDiff } from './reply-diff.js';
import type { Reply } from './reply.entity.js';

// A reply as the API shows it: the row, and an approver's edit as a word diff against the
// author's text (null when nobody edited it).
export function replyView(reply: Reply) {
  const { case: _case, ...row } = reply;
  return { ...row, diff: reply.originalText ? wordDiff(reply.originalText, reply.text) : null };
}
