import { describe, expect, it } from '@jest/globals';
import type { Caller } from './caller.js';
import { auditBrand, distinctGrants, grantOutOfReach, isAdminOverEveryBrand, mayGrant, sameGrants, TOKEN_GRANTERS, USER_GRANTERS } from './grant-rules.js';

const root: Caller = { id: 'u0', name: 'root', grants: [{ role: 'admin', brandId: null }] };
const acmeAdmin: Caller = { id: 'u1', name: 'ada', grants: [{ role: 'admin', brandId: 'acme' }] };
const acmeManager: Caller = { id: 'u2', name: 'maria', grants: [{ role: 'manager', brandId: 'acme' }, { role: 'agent', brandId: 'globex' }] };

describe('who may hand out a role', () => {
  it('lets an admin over every brand grant anything anywhere', () => {
    expect(mayGrant(root, { role: 'admin', brandId: null }, USER_GRANTERS)).toBe(true);
    expect(mayGrant(root, { role: 'agent', brandId: 'globex' }, USER_GRANTERS)).toBe(true);
  });

  it("keeps a brand's admin to that brand, and out of every-brand grants", () => {
    expect(mayGrant(acmeAdmin, { role: 'admin', brandId: 'acme' }, USER_GRANTERS)).toBe(true);
    expect(mayGrant(acmeAdmin, { role: 'agent', brandId: 'globex' }, USER_GRANTERS)).toBe(false);
    expect(mayGrant(acmeAdmin, { role: 'agent', brandId: null }, USER_GRANTERS)).toBe(false);
  });

  it('lets a manager give tokens the roles below admin in its own brands only', () => {
    expect(mayGrant(acmeManager, { role: 'agent', brandId: 'acme' }, TOKEN_GRANTERS)).toBe(true);
    expect(mayGrant(acmeManager, { role: 'manager', brandId: 'acme' }, TOKEN_GRANTERS)).toBe(true);
    expect(mayGrant(acmeManager, { role: 'admin', brandId: 'acme' }, TOKEN_GRANTERS)).toBe(false);
    expect(mayGrant(acmeManager, { role: 'agent', brandId: 'globex' }, TOKEN_GRANTERS)).toBe(false);
    expect(mayGrant(acmeManager, { role: 'agent', brandId: 'acme' }, USER_GRANTERS)).toBe(false);
  });

  it('names the first grant out of reach: someone who also works for another brand is out of reach', () => {
    expect(grantOutOfReach(acmeAdmin, [{ role: 'agent', brandId: 'acme' }], USER_GRANTERS)).toBeNull();
    expect(grantOutOfReach(acmeAdmin, [{ role: 'agent', brandId: 'acme' }, { role: 'agent', brandId: 'globex' }], USER_GRANTERS)).toEqual({ role: 'agent', brandId: 'globex' });
    expect(grantOutOfReach(acmeAdmin, [], USER_GRANTERS)).toBeNull();
  });
});

describe('a set of grants', () => {
  it('holds each grant once, in a stable order', () => {
    const grants = distinctGrants([
      { role: 'manager', brandId: 'globex' },
      { role: 'agent', brandId: 'acme' },
      { role: 'manager', brandId: 'globex' },
      { role: 'admin', brandId: null },
    ]);
    expect(grants).toEqual([{ role: 'admin', brandId: null }, { role: 'agent', brandId: 'acme' }, { role: 'manager', brandId: 'globex' }]);
    expect(sameGrants(grants, [...grants].reverse())).toBe(true);
    expect(sameGrants(grants, grants.slice(1))).toBe(false);
  });

  it('belongs in the audit to the one brand it names, or to none', () => {
    expect(auditBrand([{ role: 'agent', brandId: 'acme' }, { role: 'approver', brandId: 'acme' }])).toBe('acme');
    expect(auditBrand([{ role: 'agent', brandId: 'acme' }, { role: 'agent', brandId: 'globex' }])).toBeNull();
    expect(auditBrand([{ role: 'admin', brandId: null }])).toBeNull();
    expect(auditBrand([])).toBeNull();
  });

  it('tells an admin over every brand from a brand admin', () => {
    expect(isAdminOverEveryBrand(root.grants)).toBe(true);
    expect(isAdminOverEveryBrand(acmeAdmin.grants)).toBe(false);
  });
});
