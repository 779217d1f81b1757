import { ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsDate, IsOptional, IsUUID, Matches } from 'class-validator';
import { PageQuery } from '../common/page-query.js';

export class AuditQuery extends PageQuery(100, 1000) {
  @ApiPropertyOptional({ format: 'uuid' })
  @IsOptional()
  @IsUUID()
  caseId?: string;

  @ApiPropertyOptional()
  @IsOptional()
  @Matches(/^[a-z0-9][a-z0-9-]*$/)
  brand?: string;

  @ApiPropertyOptional({ example: 'reply.approved' })
  @IsOptional()
  @Matches(/^[a-z_]+\.[a-z_]+$/, { message: 'action: <thing>.<verb>, e.g. reply.approved' })
  action?: string;

  @ApiPropertyOptional({ description: 'From this time (inclusive), ISO 8601' })
  @IsOptional()
  @Type(() => Date)
  @IsDate()
  from?: Date;

  @ApiPropertyOptional({ description: 'Until this time (exclusive), ISO 8601' })
  @IsOptional()
  @Type(() => Date)
  @IsDate()
  to?: Date;

}
