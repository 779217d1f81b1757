import { Body, Controller, Get, HttpCode, Post, Req, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiCookieAuth, ApiOperation, ApiResponse, ApiTags } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { AppConfig } from '../config/app-config.js';
import { ChangePasswordBody, SignInBody } from './auth.dto.js';
import type { Caller } from './caller.js';
import { CurrentCaller, CurrentCredential } from './caller.decorator.js';
import type { Credential } from './credential.js';
import { AllowPendingPasswordChange, EVERYONE, Public, Roles } from './roles.decorator.js';
import { clearSessionCookies, setSessionCookies } from './session-cookie.js';
import { SessionsService } from './sessions.service.js';
import { UsersService } from './users.service.js';

@ApiTags('auth')
@ApiCookieAuth()
@ApiBearerAuth()
@Controller('auth')
export class AuthController {
  constructor(
    private readonly sessions: SessionsService,
    private readonly users: UsersService,
    private readonly config: AppConfig,
  ) {}

  @Post('sign-in')
  @Public()
  @HttpCode(200)
  @ApiOperation({ summary: 'Sign in with email or name and password: sets the HTTP-only session cookie and answers the CSRF token to send with changes' })
  @ApiResponse({ status: 401, description: 'AUTH.BAD_CREDENTIALS: the same for an unknown user, a wrong password and a deactivated user' })
  @ApiResponse({ status: 415, description: 'AUTH.CONTENT_TYPE: the credentials must come as application/json' })
  @ApiResponse({ status: 429, description: 'AUTH.THROTTLED, with Retry-After: too many failures for the account or from the address' })
  async signIn(@Body() body: SignInBody, @Req() request: Request, @Res({ passthrough: true }) response: Response) {
    const signed = await this.sessions.signIn(body, { ip: request.ip ?? '', userAgent: request.get('user-agent') ?? null, contentType: request.get('content-type') });
    setSessionCookies(response, signed, this.secure(request), this.config.auth.sessionMaxMinutes * 60_000);
    return { user: signed.user, csrfToken: signed.csrfToken, expiresAt: signed.expiresAt };
  }

  @Post('sign-out')
  @HttpCode(204)
  @Roles(...EVERYONE)
  @AllowPendingPasswordChange()
  @ApiOperation({ summary: 'End this session and clear its cookies' })
  async signOut(@CurrentCredential() credential: Credential, @Req() request: Request, @Res({ passthrough: true }) response: Response) {
    await this.sessions.signOut(credential);
    clearSessionCookies(response, this.secure(request));
  }

  @Get('me')
  @Roles(...EVERYONE)
  @AllowPendingPasswordChange()
  @ApiOperation({ summary: 'Who is calling, signed in how, with which roles per brand; the CSRF token of a cookie session' })
  me(@CurrentCaller() caller: Caller, @CurrentCredential() credential: Credential) {
    return this.sessions.me(caller, credential);
  }

  @Post('password')
  @HttpCode(204)
  @Roles(...EVERYONE)
  @AllowPendingPasswordChange()
  @ApiOperation({ summary: 'Change your own password with the current one; your other sessions end' })
  @ApiResponse({ status: 400, description: 'AUTH.WRONG_PASSWORD (currentPassword) or AUTH.WEAK_PASSWORD (newPassword)' })
  @ApiResponse({ status: 403, description: 'AUTH.SESSION_REQUIRED: a token cannot change a password' })
  async changePassword(@Body() body: ChangePasswordBody, @CurrentCaller() caller: Caller, @CurrentCredential() credential: Credential, @Req() request: Request) {
    await this.users.changeOwnPassword(caller, credential, body, request.ip ?? '');
  }

  // https as the client sees it (through trusted proxies), or Secure always when the config says so.
  private secure(request: Request): boolean {
    return request.secure || this.config.auth.secureCookies;
  }
}
