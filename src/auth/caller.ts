import type { ObjectLiteral, SelectQueryBuilder } from 'typeorm';
import { AppError } from '../common/app-error.js';
import type { Role } from '../config/config.schema.js';

// A role a person or token holds, for one brand or (brandId null) for every brand.
export interface Grant {
  role: Role;
  brandId: string | null;
}

// Who is calling: a signed-in user, an API token or a token from the config file.
export interface Caller {
  // The user's id, or `token:<name>` for a token that stands for no user.
  id: string;
  name: string;
  grants: Grant[];
}

// Whether the caller holds one of the roles: for the brand, or for some brand when none is named.
export function hasRole(caller: Caller, roles: readonly Role[], brandId?: string): boolean {
  return caller.grants.some((g) => roles.includes(g.role) && (brandId === undefined || g.brandId === null || g.brandId === brandId));
}

// The brands in which the caller holds one of the roles.
export function brandsFor(caller: Caller, roles: readonly Role[]): 'all' | string[] {
  const grants = caller.grants.filter((g) => roles.includes(g.role));
  if (grants.some((g) => g.brandId === null)) return 'all';
  return [...new Set(grants.map((g) => g.brandId!))];
}

// Narrows a query to the rows of the brands in which the caller holds one of the roles; `column`
// is the brand column as the query names it (`c.brandId`). A caller with none of them sees nothing.
export function whereCallerBrands<T extends ObjectLiteral>(q: SelectQueryBuilder<T>, caller: Caller, roles: readonly Role[], column: string): SelectQueryBuilder<T> {
  const brands = brandsFor(caller, roles);
  if (brands !== 'all') q.andWhere(`${column} IN (:...callerBrands)`, { callerBrands: brands.length ? brands : [''] });
  return q;
}

export class ForbiddenBrandError extends AppError {
  readonly code = 'AUTH.BRAND';
  readonly status = 403;
  constructor(brandId: string) {
    super(`Your roles do not reach the brand ${brandId}`, { brandId });
  }
}

// Refuses a caller who holds none of the roles for the brand the thing belongs to.
export function assertBrand(caller: Caller, roles: readonly Role[], brandId: string): void {
  if (!hasRole(caller, roles, brandId)) throw new ForbiddenBrandError(brandId);
}
