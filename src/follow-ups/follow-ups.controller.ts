import { Body, Controller, Get, HttpCode, Param, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { Caller } from '../auth/caller.js';
import { CurrentCaller } from '../auth/caller.decorator.js';
import { READERS, Roles, WORKERS } from '../auth/roles.decorator.js';
import { CaseIdParam, QueueQuery } from '../cases/case.dto.js';
import { ResolveBody } from './follow-up.dto.js';
import { FollowUpsService } from './follow-ups.service.js';

@ApiTags('follow-ups')
@ApiBearerAuth()
@Controller()
export class FollowUpsController {
  constructor(private readonly followUps: FollowUpsService) {}

  @Post('cases/:id/resolve')
  @HttpCode(200)
  @Roles(...WORKERS)
  @ApiOperation({ summary: 'Resolve with a note and first-time fix; schedules the public follow-up' })
  resolve(@Param() { id }: CaseIdParam, @Body() body: ResolveBody, @CurrentCaller() caller: Caller) {
    return this.followUps.resolve(id, caller, body);
  }

  @Get('follow-ups')
  @Roles(...READERS)
  @ApiOperation({ summary: 'Scheduled and sent follow-ups, newest first' })
  list(@Query() query: QueueQuery, @CurrentCaller() caller: Caller) {
    return this.followUps.list(caller, query);
  }
}
