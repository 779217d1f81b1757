import { AppError, BadRequestError, ConflictError, NotFoundError } from '../common/app-error.js';

export class AuthRequiredError extends AppError {
  readonly code = 'AUTH.REQUIRED';
  readonly status = 401;
  constructor(message = 'Sign in, or send a valid bearer token') {
    super(message);
  }
}

// One answer for an unknown name, a wrong password and a deactivated user: nothing to enumerate.
export class BadCredentialsError extends AppError {
  readonly code = 'AUTH.BAD_CREDENTIALS';
  readonly status = 401;
  constructor() {
    super('The name or email address and password do not match an active user');
  }
}

export class SignInThrottledError extends AppError {
  readonly code = 'AUTH.THROTTLED';
  readonly status = 429;
  constructor(retryAfterSeconds: number) {
    super(`Too many failed attempts; try again in ${retryAfterSeconds} s`, { retryAfterSeconds });
    this.headers['Retry-After'] = String(retryAfterSeconds);
  }
}

export class CsrfError extends AppError {
  readonly code = 'AUTH.CSRF';
  readonly status = 403;
  constructor() {
    super('A request signed in by cookie that changes something must send the session’s X-CSRF-Token');
  }
}

export class ForbiddenRoleError extends AppError {
  readonly code = 'AUTH.FORBIDDEN';
  readonly status = 403;
  constructor(roles: readonly string[]) {
    super(`Your roles may not do this (it takes ${roles.length ? roles.join(', ') : 'a role no one holds'})`);
  }
}

export class PasswordChangeRequiredError extends AppError {
  readonly code = 'AUTH.PASSWORD_CHANGE_REQUIRED';
  readonly status = 403;
  constructor() {
    super('Choose a new password first: POST /auth/password');
  }
}

export class SessionRequiredError extends AppError {
  readonly code = 'AUTH.SESSION_REQUIRED';
  readonly status = 403;
  constructor() {
    super('Only a signed-in person can do this, not a token');
  }
}

export class SignInContentTypeError extends AppError {
  readonly code = 'AUTH.CONTENT_TYPE';
  readonly status = 415;
  constructor() {
    // A form on another site can post urlencoded fields, never JSON: this keeps sign-in out of reach of forged forms.
    super('Send the credentials as application/json');
  }
}

// The same shape as the validation pipe's 400: the code, and every wrong field with its problems.
export class FieldError extends BadRequestError {
  constructor(field: string, problems: string[], code = 'VALIDATION') {
    super(code, `Invalid ${field}: ${problems.join('; ')}`, { fields: [{ field, problems }] });
  }
}

export class WeakPasswordError extends FieldError {
  constructor(field: string, problems: string[]) {
    super(field, problems, 'AUTH.WEAK_PASSWORD');
  }
}

export class WrongPasswordError extends FieldError {
  constructor() {
    super('currentPassword', ['not your current password'], 'AUTH.WRONG_PASSWORD');
  }
}

export class UnknownBrandError extends FieldError {
  constructor(brandId: string) {
    super('grants', [`no brand ${brandId} is configured`], 'AUTH.UNKNOWN_BRAND');
  }
}

export class UserNotFoundError extends NotFoundError {
  constructor(id: string) {
    super('USER.NOT_FOUND', `No user ${id}`);
  }
}

export class UserNameTakenError extends ConflictError {
  constructor(name: string) {
    super('USER.NAME_TAKEN', `The name ${name} is taken`, { field: 'name' });
  }
}

export class UserEmailTakenError extends ConflictError {
  constructor() {
    super('USER.EMAIL_TAKEN', 'Another user has this email address', { field: 'email' });
  }
}

export class LastAdminError extends ConflictError {
  constructor() {
    super('USER.LAST_ADMIN', 'This would leave no active admin over every brand');
  }
}

export class TokenNotFoundError extends NotFoundError {
  constructor(id: string) {
    super('TOKEN.NOT_FOUND', `No API token ${id}`);
  }
}

export class TokenNameTakenError extends ConflictError {
  constructor(name: string) {
    super('TOKEN.NAME_TAKEN', `An API token is already named ${name}`, { field: 'name' });
  }
}

// The same code as a case of another brand: the caller's roles do not reach that far.
export class GrantOutOfReachError extends AppError {
  readonly code = 'AUTH.BRAND';
  readonly status = 403;
  constructor(grant: { role: string; brandId: string | null }) {
    super(`Your roles do not reach ${grant.role} for ${grant.brandId === null ? 'every brand' : `the brand ${grant.brandId}`}`, { brandId: grant.brandId, role: grant.role });
  }
}
