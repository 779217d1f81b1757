import { createParamDecorator, type ExecutionContext } from '@nestjs/common';
import type { AuthedRequest, Caller } from './api-token.guard.js';

export const CurrentCaller = createParamDecorator((_: unknown, context: ExecutionContext): Caller => {
  return context.switchToHttp().getRequest<AuthedRequest>().caller;
});
