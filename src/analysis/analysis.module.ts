import { Module } from '@nestjs/common';
import { AnalysisModels } from './analysis-models.js';
import { AnalysisService } from './analysis.service.js';

@Module({
  providers: [{ provide: AnalysisModels, useFactory: () => AnalysisModels.fromFile() }, AnalysisService],
  exports: [AnalysisService, AnalysisModels],
})
export class AnalysisModule {}
