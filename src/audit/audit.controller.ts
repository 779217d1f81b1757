import { Controller, Get, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { Caller } from '../auth/caller.js';
import { CurrentCaller } from '../auth/caller.decorator.js';
import { Roles } from '../auth/roles.decorator.js';
import { AuditQuery } from './audit.dto.js';
import { AuditService } from './audit.service.js';

@ApiTags('audit')
@ApiBearerAuth()
@Controller('audit')
export class AuditController {
  constructor(private readonly audit: AuditService) {}

  @Get()
  @Roles('manager', 'admin')
  @ApiOperation({ summary: 'Who wrote, approved and published each reply, who claimed, transferred and resolved each case, who changed settings: per case or per period' })
  read(@Query() query: AuditQuery, @CurrentCaller() caller: Caller) {
    return this.audit.read(caller, { ...query, brandId: query.brand });
  }
}
