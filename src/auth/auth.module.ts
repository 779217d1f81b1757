import { Module } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { ApiTokensController } from './api-tokens.controller.js';
import { ApiTokensService } from './api-tokens.service.js';
import { AuthController } from './auth.controller.js';
import { AuthGuard } from './auth.guard.js';
import { SessionsService } from './sessions.service.js';
import { SignInAttemptsService } from './sign-in-attempts.service.js';
import { UsersController } from './users.controller.js';
import { UsersService } from './users.service.js';

// Who is calling: users and their roles per brand, sessions, API tokens, and the guard in front
// of every route.
@Module({
  controllers: [AuthController, UsersController, ApiTokensController],
  providers: [UsersService, SessionsService, ApiTokensService, SignInAttemptsService, { provide: APP_GUARD, useClass: AuthGuard }],
  exports: [UsersService, ApiTokensService],
})
export class AuthModule {}
