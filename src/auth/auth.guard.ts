import { type CanActivate, type ExecutionContext, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { Role } from '../config/config.schema.js';
import { ApiTokensService } from './api-tokens.service.js';
import { AuthRequiredError, CsrfError, ForbiddenRoleError, PasswordChangeRequiredError } from './auth-errors.js';
import { hasRole } from './caller.js';
import type { AuthedRequest } from './credential.js';
import { PENDING_PASSWORD_KEY, PUBLIC_KEY, ROLES_KEY } from './roles.decorator.js';
import { CSRF_HEADER, csrfMatches, isUnsafeMethod, parseCookies, SESSION_COOKIE } from './session-cookie.js';
import { SessionsService } from './sessions.service.js';

// Every route but the public ones: a bearer token (config, one-time or stored) or a session
// cookie, which must bring the session's CSRF token on anything that changes something. Then the
// caller needs one of the route's roles for some brand; services check the brand of what they touch.
@Injectable()
export class AuthGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    private readonly tokens: ApiTokensService,
    private readonly sessions: SessionsService,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const targets = [context.getHandler(), context.getClass()];
    if (this.reflector.getAllAndOverride<boolean>(PUBLIC_KEY, targets)) return true;
    const roles = this.reflector.getAllAndOverride<Role[]>(ROLES_KEY, targets) ?? [];
    const request = context.switchToHttp().getRequest<AuthedRequest>();
    const found = await this.identify(request);
    if (!found) throw new AuthRequiredError();
    const { caller, credential } = found;
    if (credential.kind === 'session') {
      if (isUnsafeMethod(request.method) && !csrfMatches(credential.sessionId, request.header(CSRF_HEADER))) throw new CsrfError();
      if (credential.passwordChangeRequired && !this.reflector.getAllAndOverride<boolean>(PENDING_PASSWORD_KEY, targets)) throw new PasswordChangeRequiredError();
    }
    if (!hasRole(caller, roles)) throw new ForbiddenRoleError(roles);
    request.caller = caller;
    request.credential = credential;
    return true;
  }

  // A request that sends an Authorization header is judged by it alone, never by a cookie beside it.
  private identify(request: AuthedRequest) {
    const header = request.headers.authorization;
    if (header !== undefined) {
      const token = header.startsWith('Bearer ') ? header.slice('Bearer '.length).trim() : '';
      return token ? this.tokens.authenticate(token) : Promise.resolve(null);
    }
    const sessionId = parseCookies(request.headers.cookie).get(SESSION_COOKIE);
    return sessionId ? this.sessions.authenticate(sessionId) : Promise.resolve(null);
  }
}
