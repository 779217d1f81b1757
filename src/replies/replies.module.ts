import { Module } from '@nestjs/common';
import { CasesModule } from '../cases/cases.module.js';
import { SourcesModule } from '../sources/sources.module.js';
import { ReplyPublisher } from './reply-publisher.service.js';
import { RepliesController } from './replies.controller.js';
import { RepliesService } from './replies.service.js';

@Module({
  imports: [CasesModule, SourcesModule],
  controllers: [RepliesController],
  providers: [RepliesService, ReplyPublisher],
  exports: [RepliesService, ReplyPublisher],
})
export class RepliesModule {}
