import { Body, Controller, Get, HttpCode, Param, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { Caller } from '../auth/caller.js';
import { CurrentCaller } from '../auth/caller.decorator.js';
import { READERS, Roles, WORKERS } from '../auth/roles.decorator.js';
import { CaseIdParam } from '../cases/case.dto.js';
import { BrandModelsService } from './brand-models.service.js';
import { PostLabelBody } from './post-label.dto.js';
import { PostLabelsService } from './post-labels.service.js';

@ApiTags('analysis')
@ApiBearerAuth()
@Controller()
export class AnalysisController {
  constructor(
    private readonly labels: PostLabelsService,
    private readonly brandModels: BrandModelsService,
  ) {}

  @Post('posts/:id/label')
  @HttpCode(200)
  @Roles(...WORKERS)
  @ApiOperation({ summary: 'Correct the analysis of a post (complaint or not, topic); the brand model learns from it' })
  label(@Param() { id }: CaseIdParam, @Body() body: PostLabelBody, @CurrentCaller() caller: Caller) {
    return this.labels.label(id, body, caller);
  }

  @Get('analysis/models')
  @Roles(...READERS)
  @ApiOperation({ summary: 'The model each brand is analysed with, and how many corrections trained it' })
  models(@CurrentCaller() caller: Caller) {
    return this.brandModels.status(caller);
  }

  @Post('analysis/models/retrain')
  @HttpCode(200)
  @Roles('manager', 'admin')
  @ApiOperation({ summary: 'Retrain now the brands (yours) with corrections since their last training' })
  async retrain(@CurrentCaller() caller: Caller) {
    return { retrained: await this.brandModels.retrainChanged(caller), models: this.brandModels.status(caller) };
  }
}
