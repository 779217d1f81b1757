import { Module } from '@nestjs/common';
import { CustomersModule } from '../customers/customers.module.js';
import { CaseViewsService } from './case-views.service.js';
import { CasesController } from './cases.controller.js';
import { CasesService } from './cases.service.js';

@Module({
  imports: [CustomersModule],
  controllers: [CasesController],
  providers: [CasesService, CaseViewsService],
  exports: [CasesService, CaseViewsService],
})
export class CasesModule {}
