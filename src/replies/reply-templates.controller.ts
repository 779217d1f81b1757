import { Body, Controller, Get, Param, Put, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { Caller } from '../auth/caller.js';
import { CurrentCaller } from '../auth/caller.decorator.js';
import { MANAGERS, READERS, Roles } from '../auth/roles.decorator.js';
import { TemplateBody, TemplateParams, TemplatesQuery } from './reply-template.dto.js';
import { ReplyTemplatesService } from './reply-templates.service.js';

@ApiTags('templates')
@ApiBearerAuth()
@Controller('templates')
export class ReplyTemplatesController {
  constructor(private readonly templates: ReplyTemplatesService) {}

  @Get()
  @Roles(...READERS)
  @ApiOperation({ summary: "The brand's reply templates per kind and language, and the variables they may use" })
  list(@Query() { brand }: TemplatesQuery, @CurrentCaller() caller: Caller) {
    return this.templates.list(caller, brand);
  }

  @Put(':brand/:kind/:language')
  @Roles(...MANAGERS)
  @ApiOperation({ summary: 'Rewrite a template (managers of the brand); an unknown {variable} is refused' })
  update(@Param() { brand, kind, language }: TemplateParams, @Body() { text }: TemplateBody, @CurrentCaller() caller: Caller) {
    return this.templates.update(caller, brand, kind, language, text);
  }
}
