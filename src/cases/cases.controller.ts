import { Controller, Get, HttpCode, Param, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { Caller } from '../auth/caller.js';
import { CurrentCaller } from '../auth/caller.decorator.js';
import { READERS, Roles, WORKERS } from '../auth/roles.decorator.js';
import { CaseIdParam, QueueQuery } from './case.dto.js';
import { CaseViewsService } from './case-views.service.js';
import { CasesService } from './cases.service.js';

@ApiTags('cases')
@ApiBearerAuth()
@Controller('cases')
export class CasesController {
  constructor(
    private readonly cases: CasesService,
    private readonly views: CaseViewsService,
  ) {}

  @Get()
  @Roles(...READERS)
  @ApiOperation({ summary: 'The response queue: open cases, most urgent first' })
  queue(@Query() query: QueueQuery, @CurrentCaller() caller: Caller) {
    return this.views.queue(caller, query);
  }

  @Get(':id')
  @Roles(...READERS)
  @ApiOperation({ summary: 'A case with its timeline: every post, reply, state change and note' })
  get(@Param() { id }: CaseIdParam, @CurrentCaller() caller: Caller) {
    return this.views.detail(caller, id);
  }

  @Post(':id/claim')
  @HttpCode(200)
  @Roles(...WORKERS)
  @ApiOperation({ summary: 'Claim a case: one holder at a time, until the claim expires' })
  async claim(@Param() { id }: CaseIdParam, @CurrentCaller() caller: Caller) {
    await this.cases.claim(id, caller);
    return this.views.detail(caller, id);
  }

  @Post(':id/release')
  @HttpCode(200)
  @Roles(...WORKERS)
  @ApiOperation({ summary: 'Hand a claimed case back to the queue' })
  async release(@Param() { id }: CaseIdParam, @CurrentCaller() caller: Caller) {
    await this.cases.release(id, caller);
    return this.views.detail(caller, id);
  }
}
