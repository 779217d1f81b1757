import { SetMetadata } from '@nestjs/common';
import type { Role } from '../config/config.schema.js';

export const ROLES_KEY = 'paradox:roles';
export const PUBLIC_KEY = 'paradox:public';
export const PENDING_PASSWORD_KEY = 'paradox:pending-password';

// Every route names the roles that may call it; AuthGuard refuses a route that names none.
export const Roles = (...roles: Role[]) => SetMetadata(ROLES_KEY, roles);
export const Public = () => SetMetadata(PUBLIC_KEY, true);
// The few routes a person with a temporary password may use before choosing a new one.
export const AllowPendingPasswordChange = () => SetMetadata(PENDING_PASSWORD_KEY, true);

// Who may work cases, and who may only read them.
export const WORKERS: Role[] = ['agent', 'manager', 'admin'];
export const READERS: Role[] = ['agent', 'approver', 'manager', 'admin'];
// Who may approve or reject a reply, and who may change a brand's settings (its templates).
export const APPROVERS: Role[] = ['approver', 'manager', 'admin'];
export const MANAGERS: Role[] = ['manager', 'admin'];
// Anyone signed in or holding a token, whatever their role.
export const EVERYONE: Role[] = READERS;
