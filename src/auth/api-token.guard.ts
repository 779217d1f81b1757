import { createHash, timingSafeEqual } from 'node:crypto';
import { type CanActivate, type ExecutionContext, ForbiddenException, Injectable, UnauthorizedException } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { Request } from 'express';
import { AppConfig, type ApiToken } from '../config/app-config.js';
import type { Role } from '../config/config.schema.js';
import { type Caller, hasRole } from './caller.js';
import { PUBLIC_KEY, ROLES_KEY } from './roles.decorator.js';

export type { Caller } from './caller.js';

export type AuthedRequest = Request & { caller: Caller };

const digest = (s: string) => createHash('sha256').update(s).digest();

@Injectable()
export class ApiTokenGuard implements CanActivate {
  private readonly tokens: { digest: Buffer; token: ApiToken }[];

  constructor(
    private readonly reflector: Reflector,
    config: AppConfig,
  ) {
    const all = config.generatedToken ? [...config.apiTokens, config.generatedToken] : config.apiTokens;
    this.tokens = all.map((token) => ({ digest: digest(token.token), token }));
  }

  canActivate(context: ExecutionContext): boolean {
    const targets = [context.getHandler(), context.getClass()];
    if (this.reflector.getAllAndOverride<boolean>(PUBLIC_KEY, targets)) return true;
    const roles = this.reflector.getAllAndOverride<Role[]>(ROLES_KEY, targets);
    const request = context.switchToHttp().getRequest<AuthedRequest>();
    const header = request.headers.authorization ?? '';
    const presented = header.startsWith('Bearer ') ? digest(header.slice(7).trim()) : null;
    // Compare digests in constant time so a token cannot be guessed byte by byte.
    const match = presented && this.tokens.find((t) => timingSafeEqual(t.digest, presented));
    if (!match) throw new UnauthorizedException({ code: 'AUTH.REQUIRED', message: 'A valid bearer token is required' });
    // A token from the config file holds its role for every brand.
    const caller: Caller = { id: `token:${match.token.name}`, name: match.token.name, grants: [{ role: match.token.role, brandId: null }] };
    if (!roles || !hasRole(caller, roles)) {
      throw new ForbiddenException({ code: 'AUTH.FORBIDDEN', message: `The role ${match.token.role} may not do this` });
    }
    request.caller = caller;
    return true;
  }
}
