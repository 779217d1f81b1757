import { Body, Controller, Get, HttpCode, Param, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { Caller } from '../auth/caller.js';
import { CurrentCaller } from '../auth/caller.decorator.js';
import { READERS, Roles, WORKERS } from '../auth/roles.decorator.js';
import { CaseIdParam, DismissBody, MergeBody, QueueQuery, TransferBody } from './case.dto.js';
import { CaseBulkService } from './case-bulk.service.js';
import { CaseViewsService } from './case-views.service.js';
import { CasesService } from './cases.service.js';

@ApiTags('cases')
@ApiBearerAuth()
@Controller('cases')
export class CasesController {
  constructor(
    private readonly cases: CasesService,
    private readonly bulk: CaseBulkService,
    private readonly views: CaseViewsService,
  ) {}

  @Get()
  @Roles(...READERS)
  @ApiOperation({ summary: 'The response queue: open cases by priority, then the nearest SLA due time' })
  queue(@Query() query: QueueQuery, @CurrentCaller() caller: Caller) {
    return this.views.queue(caller, query);
  }

  @Post('bulk/dismiss')
  @HttpCode(200)
  @Roles(...WORKERS)
  @ApiOperation({ summary: 'Dismiss cases as not complaints: out of the queue, their posts labelled for the brand model; all or nothing' })
  async dismiss(@Body() body: DismissBody, @CurrentCaller() caller: Caller) {
    const cases = await this.bulk.dismiss(caller, body);
    return { items: await this.views.list(cases) };
  }

  @Post('merge')
  @HttpCode(200)
  @Roles(...WORKERS)
  @ApiOperation({ summary: "Merge cases of one customer into one: their posts and events move there; all or nothing" })
  async merge(@Body() body: MergeBody, @CurrentCaller() caller: Caller) {
    const into = await this.bulk.merge(caller, body);
    return this.views.detail(caller, into.id);
  }

  @Get(':id')
  @Roles(...READERS)
  @ApiOperation({ summary: 'A case with its SLA milestones and its timeline: every post, reply, state change and note' })
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

  @Post(':id/transfer')
  @HttpCode(200)
  @Roles(...WORKERS)
  @ApiOperation({ summary: 'Hand the case to a colleague (who holds it) or a team (where it waits unclaimed): by its holder or a manager' })
  async transfer(@Param() { id }: CaseIdParam, @Body() body: TransferBody, @CurrentCaller() caller: Caller) {
    await this.cases.transfer(id, caller, body);
    return this.views.detail(caller, id);
  }
}
