import { describe, expect, it } from '@jest/globals';
import { brandsFor, type Caller, hasRole } from './caller.js';

const maria: Caller = {
  id: 'u1',
  name: 'maria',
  grants: [
    { role: 'manager', brandId: 'acme' },
    { role: 'agent', brandId: 'globex' },
  ],
};
const admin: Caller = { id: 'u2', name: 'root', grants: [{ role: 'admin', brandId: null }] };

describe('a caller', () => {
  it('holds a role only in the brands it was granted for', () => {
    expect(hasRole(maria, ['manager'], 'acme')).toBe(true);
    expect(hasRole(maria, ['manager'], 'globex')).toBe(false);
    expect(hasRole(maria, ['agent', 'manager'], 'globex')).toBe(true);
  });

  it('holds a role in some brand when no brand is asked about', () => {
    expect(hasRole(maria, ['manager'])).toBe(true);
    expect(hasRole(maria, ['approver'])).toBe(false);
  });

  it('holds a grant without a brand in every brand', () => {
    expect(hasRole(admin, ['admin'], 'anything')).toBe(true);
    expect(brandsFor(admin, ['admin'])).toBe('all');
    expect(brandsFor(admin, ['agent'])).toEqual([]);
  });

  it('lists the brands where one of the roles is held', () => {
    expect(brandsFor(maria, ['agent', 'manager']).toString()).toBe('acme,globex');
    expect(brandsFor(maria, ['manager'])).toEqual(['acme']);
  });
});
