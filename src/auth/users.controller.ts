import { Body, Controller, Get, HttpCode, Param, Patch, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiCookieAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { CreateUserBody, UpdateUserBody, UserIdParam } from './auth.dto.js';
import type { Caller } from './caller.js';
import { CurrentCaller } from './caller.decorator.js';
import { Roles } from './roles.decorator.js';
import { UsersService } from './users.service.js';

@ApiTags('users')
@ApiCookieAuth()
@ApiBearerAuth()
@Controller('users')
export class UsersController {
  constructor(private readonly users: UsersService) {}

  @Post()
  @Roles('admin')
  @ApiOperation({ summary: 'Create a user with roles per brand; the temporary password is shown once and must be changed at first sign-in' })
  create(@Body() body: CreateUserBody, @CurrentCaller() caller: Caller) {
    return this.users.create(caller, body);
  }

  @Get()
  @Roles('admin')
  @ApiOperation({ summary: 'The users within your reach: all their roles are in brands you administer' })
  list(@CurrentCaller() caller: Caller) {
    return this.users.list(caller);
  }

  @Get(':id')
  @Roles('admin')
  @ApiOperation({ summary: 'A user with its roles per brand' })
  get(@Param() { id }: UserIdParam, @CurrentCaller() caller: Caller) {
    return this.users.get(caller, id);
  }

  @Patch(':id')
  @Roles('admin')
  @ApiOperation({ summary: 'Change the display name, deactivate or reactivate, or replace the roles' })
  update(@Param() { id }: UserIdParam, @Body() body: UpdateUserBody, @CurrentCaller() caller: Caller) {
    return this.users.update(caller, id, body);
  }

  @Post(':id/password-reset')
  @HttpCode(200)
  @Roles('admin')
  @ApiOperation({ summary: 'Set a new temporary password, shown once; the user’s sessions end' })
  resetPassword(@Param() { id }: UserIdParam, @CurrentCaller() caller: Caller) {
    return this.users.resetPassword(caller, id);
  }
}
