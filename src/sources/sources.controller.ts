import { Controller, Get } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { Caller } from '../auth/caller.js';
import { CurrentCaller } from '../auth/caller.decorator.js';
import { READERS, Roles } from '../auth/roles.decorator.js';
import { SourcesService } from './sources.service.js';

@ApiTags('sources')
@ApiBearerAuth()
@Controller('sources')
export class SourcesController {
  constructor(private readonly sources: SourcesService) {}

  @Get()
  @Roles(...READERS)
  @ApiOperation({ summary: 'Every configured source with its health: last poll, last error, back-off' })
  list(@CurrentCaller() caller: Caller) {
    return this.sources.health(caller);
  }
}
