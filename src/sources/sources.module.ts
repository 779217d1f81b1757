import { Module } from '@nestjs/common';
import { AnalysisModule } from '../analysis/analysis.module.js';
import { CasesModule } from '../cases/cases.module.js';
import { ConnectorRegistry } from './connector-registry.js';
import { WebhooksController } from './connectors/webhook/webhooks.controller.js';
import { WebhooksService } from './connectors/webhook/webhooks.service.js';
import { WebSubController } from './connectors/rss/websub.controller.js';
import { WebSubService } from './connectors/rss/websub.service.js';
import { IngestService } from './ingest.service.js';
import { SourcePoller } from './source-poller.service.js';
import { SourcesController } from './sources.controller.js';
import { SourcesService } from './sources.service.js';

@Module({
  imports: [AnalysisModule, CasesModule],
  controllers: [SourcesController, WebhooksController, WebSubController],
  providers: [ConnectorRegistry, IngestService, SourcePoller, SourcesService, WebhooksService, WebSubService],
  exports: [ConnectorRegistry, SourcePoller, IngestService],
})
export class SourcesModule {}
