import { Module } from '@nestjs/common';
import { CaseViewsService } from './case-views.service.js';
import { CasesController } from './cases.controller.js';
import { CasesService } from './cases.service.js';

@Module({
  controllers: [CasesController],
  providers: [CasesService, CaseViewsService],
  exports: [CasesService, CaseViewsService],
})
export class CasesModule {}
