import { Body, Controller, Get, HttpCode, Param, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { Caller } from '../auth/caller.js';
import { CurrentCaller } from '../auth/caller.decorator.js';
import { APPROVERS, Roles } from '../auth/roles.decorator.js';
import { ApprovalParams, ApprovalsQuery, ApproveBody, RejectBody } from './approval.dto.js';
import { ApprovalsService } from './approvals.service.js';

@ApiTags('approvals')
@ApiBearerAuth()
@Controller('approvals')
export class ApprovalsController {
  constructor(private readonly approvals: ApprovalsService) {}

  @Get()
  @Roles(...APPROVERS)
  @ApiOperation({ summary: 'Replies waiting for approval, longest waiting first, with the case, the customer and the post they answer' })
  list(@Query() query: ApprovalsQuery, @CurrentCaller() caller: Caller) {
    return this.approvals.pending(caller, query);
  }

  @Post(':replyId/approve')
  @HttpCode(200)
  @Roles(...APPROVERS)
  @ApiOperation({ summary: "Approve a reply, as written or edited (the edit is kept beside the author's text, as a word diff); it goes to the outbox" })
  approve(@Param() { replyId }: ApprovalParams, @Body() body: ApproveBody, @CurrentCaller() caller: Caller) {
    return this.approvals.approve(replyId, caller, body);
  }

  @Post(':replyId/reject')
  @HttpCode(200)
  @Roles(...APPROVERS)
  @ApiOperation({ summary: 'Reject a reply with a comment: it goes back to its author, who writes a new one' })
  reject(@Param() { replyId }: ApprovalParams, @Body() body: RejectBody, @CurrentCaller() caller: Caller) {
    return this.approvals.reject(replyId, caller, body.comment);
  }
}
