import { Body, Controller, Delete, Get, Param, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiCookieAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { ApiTokenIdParam, CreateApiTokenBody } from './auth.dto.js';
import { ApiTokensService } from './api-tokens.service.js';
import type { Caller } from './caller.js';
import { CurrentCaller } from './caller.decorator.js';
import { Roles } from './roles.decorator.js';

@ApiTags('api-tokens')
@ApiCookieAuth()
@ApiBearerAuth()
@Controller('api-tokens')
export class ApiTokensController {
  constructor(private readonly tokens: ApiTokensService) {}

  @Post()
  @Roles('manager', 'admin')
  @ApiOperation({ summary: 'Make a token for an integration, acting as a user or with roles of its own; the token is shown once' })
  create(@Body() body: CreateApiTokenBody, @CurrentCaller() caller: Caller) {
    return this.tokens.create(caller, body);
  }

  @Get()
  @Roles('manager', 'admin')
  @ApiOperation({ summary: 'The tokens you made and those within your brands, without the tokens themselves' })
  list(@CurrentCaller() caller: Caller) {
    return this.tokens.list(caller);
  }

  @Delete(':id')
  @Roles('manager', 'admin')
  @ApiOperation({ summary: 'Revoke a token: it stops working at once' })
  revoke(@Param() { id }: ApiTokenIdParam, @CurrentCaller() caller: Caller) {
    return this.tokens.revoke(caller, id);
  }
}
