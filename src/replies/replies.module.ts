import { Module } from '@nestjs/common';
import { CasesModule } from '../cases/cases.module.js';
import { SourcesModule } from '../sources/sources.module.js';
import { ApprovalsController } from './approvals.controller.js';
import { ApprovalsService } from './approvals.service.js';
import { ReplyPublisher } from './reply-publisher.service.js';
import { ReplyTemplatesController } from './reply-templates.controller.js';
import { ReplyTemplatesService } from './reply-templates.service.js';
import { RepliesController } from './replies.controller.js';
import { RepliesService } from './replies.service.js';

@Module({
  imports: [CasesModule, SourcesModule],
  controllers: [RepliesController, ReplyTemplatesController, ApprovalsController],
  providers: [RepliesService, ReplyPublisher, ReplyTemplatesService, ApprovalsService],
  exports: [RepliesService, ReplyPublisher],
})
export class RepliesModule {}
