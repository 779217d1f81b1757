import { type ApprovalConfig, SEVERITIES } from '../config/config.schema.js';

export type Severity = (typeof SEVERITIES)[number];

export interface ReplyToApprove {
  text: string;
  // The platform's visibility of the reply: 'direct' is a private message.
  visibility: string;
}

export interface CaseForApproval {
  // The highest severity among the case's posts.
  severity: Severity;
  // Replies already let out on the case (queued, published or failed), public and direct;
  // pending and rejected ones do not count, so a case's replies need approval until one is out.
  repliesOut: { public: number; private: number };
}

export interface ApprovalDecision {
  required: boolean;
  // Why, in words an approver reads: 'every public reply', 'words: refund'.
  reasons: string[];
}

// Whether a reply must wait for an approver under the brand's policy. The rules add up; a direct
// (private) reply is exempt unless the policy includes private replies.
export function needsApproval(reply: ReplyToApprove, c: CaseForApproval, policy: ApprovalConfig): ApprovalDecision {
  const reasons: string[] = [];
  const direct = reply.visibility === 'direct';
  if (direct && !policy.private) return { required: false, reasons };
  // Direct replies that went out count only where the policy looks at direct replies.
  const out = c.repliesOut.public + (policy.private ? c.repliesOut.private : 0);
  if (policy.mode === 'all') reasons.push(direct ? 'every reply, private ones too' : 'every public reply');
  if (policy.mode === 'first' && out === 0) reasons.push('the first reply of the case');
  if (policy.minSeverity && rank(c.severity) >= rank(policy.minSeverity)) reasons.push(`severity ${c.severity} (at least ${policy.minSeverity})`);
  const words = wordsIn(reply.text, policy.words);
  if (words.length) reasons.push(`words: ${words.join(', ')}`);
  return { required: reasons.length > 0, reasons };
}

// The listed words and phrases the text holds as whole words, in any case; a phrase matches
// across any spacing.
export function wordsIn(text: string, words: readonly string[]): string[] {
  return words.filter((word) => {
    const pattern = word.trim().split(/\s+/).map(escape).join('\\s+');
    return new RegExp(`(?<![\\p{L}\\p{N}_])${pattern}(?![\\p{L}\\p{N}_])`, 'iu').test(text);
  });
}

export function highestSeverity(severities: readonly string[]): Severity {
  return severities.reduce<Severity>((top, s) => (rank(s) > rank(top) ? (s as Severity) : top), 'low');
}

const rank = (severity: string) => SEVERITIES.indexOf(severity as Severity);
const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
