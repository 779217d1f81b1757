import { createParamDecorator, type ExecutionContext } from '@nestjs/common';
import type { Caller } from './caller.js';
import type { AuthedRequest, Credential } from './credential.js';

export const CurrentCaller = createParamDecorator((_: unknown, context: ExecutionContext): Caller => {
  return context.switchToHttp().getRequest<AuthedRequest>().caller;
});

export const CurrentCredential = createParamDecorator((_: unknown, context: ExecutionContext): Credential => {
  return context.switchToHttp().getRequest<AuthedRequest>().credential;
});
