import { Body, Controller, Get, HttpCode, Param, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { Caller } from '../auth/caller.js';
import { CurrentCaller } from '../auth/caller.decorator.js';
import { READERS, Roles, WORKERS } from '../auth/roles.decorator.js';
import { CaseIdParam } from '../cases/case.dto.js';
import { AcknowledgeBody, DraftQuery, RecordManualBody, ReplyIdParam, WriteReplyBody } from './reply.dto.js';
import { RepliesService } from './replies.service.js';

@ApiTags('replies')
@ApiBearerAuth()
@Controller()
export class RepliesController {
  constructor(private readonly replies: RepliesService) {}

  @Get('cases/:id/draft')
  @Roles(...WORKERS)
  @ApiOperation({ summary: "A reply drafted from the brand's template in the customer's language; for a customer failed before, an instruction instead of a scripted apology" })
  draft(@Param() { id }: CaseIdParam, @Query() { kind }: DraftQuery, @CurrentCaller() caller: Caller) {
    return this.replies.draft(caller, id, kind);
  }

  @Post('cases/:id/acknowledge')
  @Roles(...WORKERS)
  @ApiOperation({ summary: 'Acknowledge and apologise, publicly on the same thread (the publisher posts it once)' })
  acknowledge(@Param() { id }: CaseIdParam, @Body() body: AcknowledgeBody, @CurrentCaller() caller: Caller) {
    return this.replies.acknowledge(id, caller, body.text);
  }

  @Post('cases/:id/replies')
  @Roles(...WORKERS)
  @ApiOperation({ summary: "Write a reply of any kind on the customer's thread (the template when text is left out); it waits for an approver when the brand's policy asks" })
  write(@Param() { id }: CaseIdParam, @Body() body: WriteReplyBody, @CurrentCaller() caller: Caller) {
    return this.replies.write(id, caller, body.kind, body.text);
  }

  @Get('cases/:id/replies')
  @Roles(...READERS)
  @ApiOperation({ summary: "The case's replies with their publishing state" })
  list(@Param() { id }: CaseIdParam, @CurrentCaller() caller: Caller) {
    return this.replies.forCase(caller, id);
  }

  @Get('cases/:id/thread')
  @Roles(...READERS)
  @ApiOperation({ summary: "The conversation around the customer's latest post, read from the platform now (not stored)" })
  thread(@Param() { id }: CaseIdParam, @CurrentCaller() caller: Caller) {
    return this.replies.thread(caller, id);
  }

  @Post('replies/:id/record')
  @HttpCode(200)
  @Roles(...WORKERS)
  @ApiOperation({ summary: 'Record a reply an agent posted by hand, on a channel Paradox cannot post to (a feed, a form)' })
  record(@Param() { id }: ReplyIdParam, @Body() body: RecordManualBody, @CurrentCaller() caller: Caller) {
    return this.replies.recordManual(id, caller, body.url ?? null);
  }

  @Post('replies/:id/retry')
  @HttpCode(200)
  @Roles(...WORKERS)
  @ApiOperation({ summary: 'Put a reply that ran out of attempts back in the outbox' })
  retry(@Param() { id }: ReplyIdParam, @CurrentCaller() caller: Caller) {
    return this.replies.retry(id, caller);
  }
}
