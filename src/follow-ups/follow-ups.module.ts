import { Module } from '@nestjs/common';
import { CasesModule } from '../cases/cases.module.js';
import { RepliesModule } from '../replies/replies.module.js';
import { FollowUpsController } from './follow-ups.controller.js';
import { FollowUpsService } from './follow-ups.service.js';

@Module({
  imports: [CasesModule, RepliesModule],
  controllers: [FollowUpsController],
  providers: [FollowUpsService],
})
export class FollowUpsModule {}
