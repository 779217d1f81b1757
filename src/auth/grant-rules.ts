import type { Role } from '../config/config.schema.js';
import { type Caller, type Grant, hasRole } from './caller.js';

// Who may hand out roles: admins manage users; managers may also make tokens for their brands.
export const USER_GRANTERS: readonly Role[] = ['admin'];
export const TOKEN_GRANTERS: readonly Role[] = ['admin', 'manager'];

// Whether the caller holds one of the roles where the grant applies: for a grant over every
// brand, only a grant over every brand will do.
function holdsAt(caller: Caller, roles: readonly Role[], brandId: string | null): boolean {
  if (brandId !== null) return hasRole(caller, roles, brandId);
  return caller.grants.some((g) => g.brandId === null && roles.includes(g.role));
}

// Whether the caller may hand out this grant: a granter at its brand (or over every brand), and
// an admin there for the admin role.
export function mayGrant(caller: Caller, grant: Grant, granters: readonly Role[]): boolean {
  const roles = grant.role === 'admin' ? granters.filter((r) => r === 'admin') : granters;
  return holdsAt(caller, roles, grant.brandId);
}

// The first of the grants the caller may not hand out, or null when it may hand out all of them.
// A person or token is within the caller's reach when all its grants are: a brand's admin sees and
// changes only the people of that brand, and nobody who also works elsewhere.
export function grantOutOfReach(caller: Caller, grants: readonly Grant[], granters: readonly Role[]): Grant | null {
  return grants.find((g) => !mayGrant(caller, g, granters)) ?? null;
}

// The same grants once each, in a stable order.
export function distinctGrants(grants: readonly Grant[]): Grant[] {
  const seen = new Map(grants.map((g) => [`${g.role}\u0000${g.brandId ?? ''}`, { role: g.role, brandId: g.brandId }]));
  return [...seen.values()].sort((a, b) => (a.brandId ?? '').localeCompare(b.brandId ?? '') || a.role.localeCompare(b.role));
}

export function sameGrants(a: readonly Grant[], b: readonly Grant[]): boolean {
  return JSON.stringify(distinctGrants(a)) === JSON.stringify(distinctGrants(b));
}

// The brand an audit entry about these grants belongs to: the one brand they name, else none
// (then only managers and admins over every brand read it).
export function auditBrand(grants: readonly Grant[]): string | null {
  const brands = new Set(grants.map((g) => g.brandId));
  if (brands.size !== 1 || brands.has(null)) return null;
  return [...brands][0];
}

export function isAdminOverEveryBrand(grants: readonly Grant[]): boolean {
  return grants.some((g) => g.role === 'admin' && g.brandId === null);
}
