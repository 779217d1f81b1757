import { randomBytes } from 'node:crypto';
import argon2 from 'argon2';

// OWASP's argon2id baseline: 19 MiB, two passes, one lane (about 30 ms a hash here).
const COST = { memoryCost: 19_456, timeCost: 2, parallelism: 1 };
export const ARGON2_OPTIONS = { type: argon2.argon2id as 2, ...COST };

export const PASSWORD_MIN_LENGTH = 12;
export const PASSWORD_MAX_LENGTH = 256;

// What is wrong with a password a person chose (NIST 800-63B: length, no composition rules, not
// guessable from who they are). Empty when it will do.
export function passwordProblems(password: string, person: { name?: string; email?: string } = {}): string[] {
  const problems: string[] = [];
  const length = [...password].length;
  if (length < PASSWORD_MIN_LENGTH) problems.push(`at least ${PASSWORD_MIN_LENGTH} characters`);
  if (length > PASSWORD_MAX_LENGTH) problems.push(`at most ${PASSWORD_MAX_LENGTH} characters`);
  if (length > 0 && new Set(password).size === 1) problems.push('more than one character repeated');
  const lower = password.toLowerCase();
  const own = [person.name, person.email, person.email?.split('@')[0]].filter((s): s is string => !!s && s.length >= 3);
  if (own.some((s) => lower.includes(s.toLowerCase()))) problems.push('not your name or email address');
  return problems;
}

// A password for a person to sign in with once and then change: 144 random bits.
export function temporaryPassword(): string {
  return randomBytes(18).toString('base64url');
}

export function hashPassword(password: string): Promise<string> {
  return argon2.hash(password, ARGON2_OPTIONS);
}

// A hash of nothing anyone knows, verified against when the account does not exist, so an unknown
// name costs the same time as a wrong password.
let dummy: Promise<string> | null = null;
const dummyHash = () => (dummy ??= hashPassword(randomBytes(32).toString('base64url')));

// Whether the password matches the hash; against the dummy hash (always false) when there is none.
export async function verifyPassword(hash: string | null, password: string): Promise<boolean> {
  const against = hash ?? (await dummyHash());
  try {
    return (await argon2.verify(against, password)) && hash !== null;
  } catch {
    // A hash that is not argon2's format matches nothing.
    return false;
  }
}

// Hashes made with weaker parameters are made again at the next successful sign-in.
export function needsRehash(hash: string): boolean {
  return argon2.needsRehash(hash, COST);
}
