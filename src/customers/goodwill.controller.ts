import { Body, Controller, Get, HttpCode, Param, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { Caller } from '../auth/caller.js';
import { CurrentCaller } from '../auth/caller.decorator.js';
import { Roles, WORKERS } from '../auth/roles.decorator.js';
import { CaseIdParam } from '../cases/case.dto.js';
import { BudgetsQuery, CompensationBody, CompensationIdParam, DecisionBody } from './customer.dto.js';
import { GoodwillService } from './goodwill.service.js';

@ApiTags('goodwill')
@ApiBearerAuth()
@Controller()
export class GoodwillController {
  constructor(private readonly goodwill: GoodwillService) {}

  @Post('cases/:id/compensations')
  @Roles(...WORKERS)
  @ApiOperation({ summary: "Offer compensation on a case: approved within the agent's monthly budget, else pending_manager" })
  offer(@Param() { id }: CaseIdParam, @Body() body: CompensationBody, @CurrentCaller() caller: Caller) {
    return this.goodwill.offer(caller, id, body);
  }

  @Post('compensations/:id/approve')
  @HttpCode(200)
  @Roles('manager', 'admin')
  @ApiOperation({ summary: 'Approve an offer past the agent’s budget' })
  approve(@Param() { id }: CompensationIdParam, @Body() body: DecisionBody, @CurrentCaller() caller: Caller) {
    return this.goodwill.approve(caller, id, body.comment);
  }

  @Post('compensations/:id/reject')
  @HttpCode(200)
  @Roles('manager', 'admin')
  @ApiOperation({ summary: 'Reject an offer past the agent’s budget' })
  reject(@Param() { id }: CompensationIdParam, @Body() body: DecisionBody, @CurrentCaller() caller: Caller) {
    return this.goodwill.reject(caller, id, body.comment);
  }

  @Get('budgets/me')
  @Roles(...WORKERS)
  @ApiOperation({ summary: 'Your goodwill budget this month: spent, left and waiting for a manager' })
  mine(@CurrentCaller() caller: Caller) {
    return this.goodwill.mine(caller);
  }

  @Get('budgets')
  @Roles('manager', 'admin')
  @ApiOperation({ summary: "Each agent's goodwill spending in a month" })
  budgets(@Query() query: BudgetsQuery, @CurrentCaller() caller: Caller) {
    return this.goodwill.forManagers(caller, query);
  }
}
