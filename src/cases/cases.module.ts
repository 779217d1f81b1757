import { Module } from '@nestjs/common';
import { AnalysisModule } from '../analysis/analysis.module.js';
import { CaseBulkService } from './case-bulk.service.js';
import { CustomersModule } from '../customers/customers.module.js';
import { CaseViewsService } from './case-views.service.js';
import { CasesController } from './cases.controller.js';
import { CasesService } from './cases.service.js';
import { SlaBreachesService } from './sla-breaches.service.js';
import { TeamsController } from './teams.controller.js';
import { TeamsService } from './teams.service.js';

@Module({
  // Dismissing a case labels its posts, for the brand's model; intake asks the customers room.
  imports: [AnalysisModule, CustomersModule],
  controllers: [CasesController, TeamsController],
  providers: [CasesService, CaseViewsService, CaseBulkService, SlaBreachesService, TeamsService],
  exports: [CasesService, CaseViewsService, SlaBreachesService],
})
export class CasesModule {}
