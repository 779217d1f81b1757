import { Module } from '@nestjs/common';
import { AnalysisController } from './analysis.controller.js';
import { AnalysisModels } from './analysis-models.js';
import { AnalysisService } from './analysis.service.js';
import { BrandModelsService } from './brand-models.service.js';
import { PostLabelsService } from './post-labels.service.js';

@Module({
  controllers: [AnalysisController],
  providers: [{ provide: AnalysisModels, useFactory: () => AnalysisModels.fromFile() }, AnalysisService, PostLabelsService, BrandModelsService],
  exports: [AnalysisService, AnalysisModels, PostLabelsService],
})
export class AnalysisModule {}
