import { describe, expect, it } from '@jest/globals';
import { hashPassword, needsRehash, passwordProblems, temporaryPassword, verifyPassword } from './password.js';

describe('a password', () => {
  it('needs twelve characters, counted as people count them', () => {
    expect(passwordProblems('short pass!')).toEqual(['at least 12 characters']);
    expect(passwordProblems('correct horse')).toEqual([]);
    // Eleven emoji are eleven characters, though JavaScript counts 22 code units.
    expect(passwordProblems('🐴'.repeat(6) + '🔋'.repeat(5))).toEqual(['at least 12 characters']);
  });

  it('is refused when longer than 256 characters or one character repeated', () => {
    expect(passwordProblems('a'.repeat(257))).toEqual(['at most 256 characters', 'more than one character repeated']);
    expect(passwordProblems('zzzzzzzzzzzzzz')).toEqual(['more than one character repeated']);
  });

  it('may not hold the person’s name or email address', () => {
    expect(passwordProblems('maria-2026-spring', { name: 'maria' })).toEqual(['not your name or email address']);
    expect(passwordProblems('my M.Jansen secret', { email: 'm.jansen@acme.example' })).toEqual(['not your name or email address']);
    expect(passwordProblems('blue tractor 77', { name: 'al' })).toEqual([]);
  });

  it('is generated with enough randomness to pass the rules', () => {
    const a = temporaryPassword();
    expect(a).toMatch(/^[\w-]{24}$/);
    expect(passwordProblems(a)).toEqual([]);
    expect(temporaryPassword()).not.toBe(a);
  });

  it('is stored as an argon2id hash that verifies only the same password', async () => {
    const hash = await hashPassword('correct horse battery');
    expect(hash).toMatch(/^\$argon2id\$v=19\$m=19456,p=1,t=2\$/);
    expect(hash).not.toContain('correct horse');
    await expect(verifyPassword(hash, 'correct horse battery')).resolves.toBe(true);
    await expect(verifyPassword(hash, 'correct horse batterY')).resolves.toBe(false);
    expect(needsRehash(hash)).toBe(false);
  });

  it('never verifies without a hash, nor against a hash that is not argon2’s', async () => {
    await expect(verifyPassword(null, '')).resolves.toBe(false);
    await expect(verifyPassword(null, 'correct horse battery')).resolves.toBe(false);
    await expect(verifyPassword('plain text', 'plain text')).resolves.toBe(false);
  });

  it('is hashed again when it was hashed with weaker parameters', async () => {
    const argon2 = (await import('argon2')).default;
    const weak = await argon2.hash('correct horse battery', { type: argon2.argon2id, memoryCost: 4096, timeCost: 1, parallelism: 1 });
    expect(needsRehash(weak)).toBe(true);
  });
});
