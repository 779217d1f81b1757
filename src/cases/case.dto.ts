import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { ArrayMaxSize, ArrayNotEmpty, ArrayUnique, IsArray, IsOptional, IsString, IsUUID, Matches, MaxLength, MinLength, ValidateIf } from 'class-validator';
import { PageQuery } from '../common/page-query.js';

export class CaseIdParam {
  @ApiProperty({ format: 'uuid' })
  @IsUUID()
  id: string;
}

export class QueueQuery extends PageQuery() {
  @ApiPropertyOptional()
  @IsOptional()
  @Matches(/^[a-z0-9][a-z0-9-]*$/)
  brand?: string;

  @ApiPropertyOptional({ format: 'uuid', description: "Only the cases handed to this team" })
  @IsOptional()
  @IsUUID()
  team?: string;

}

export class TransferBody {
  @ApiPropertyOptional({ description: 'The colleague who holds the case next (the name cases are claimed with)' })
  @ValidateIf((body: TransferBody) => body.toTeam === undefined || body.toUser !== undefined)
  @IsString({ message: 'toUser (a colleague) or toTeam (a team id) is needed' })
  @MinLength(1)
  @MaxLength(200)
  toUser?: string;

  @ApiPropertyOptional({ format: 'uuid', description: 'The team the case goes to; without toUser it waits there unclaimed' })
  @IsOptional()
  @IsUUID()
  toTeam?: string;

  @ApiPropertyOptional({ description: 'Why, for the colleague who takes over' })
  @IsOptional()
  @IsString()
  @MaxLength(2000)
  note?: string;
}

export class DismissBody {
  @ApiProperty({ type: [String], format: 'uuid', maxItems: 200 })
  @IsArray()
  @ArrayNotEmpty()
  @ArrayMaxSize(200)
  @ArrayUnique()
  @IsUUID('all', { each: true })
  caseIds: string[];

  @ApiPropertyOptional({ description: 'Why these are not complaints' })
  @IsOptional()
  @IsString()
  @MaxLength(500)
  reason?: string;
}

export class MergeBody {
  @ApiProperty({ format: 'uuid', description: 'The case that stays' })
  @IsUUID()
  intoCaseId: string;

  @ApiProperty({ type: [String], format: 'uuid', maxItems: 200, description: 'The cases merged into it' })
  @IsArray()
  @ArrayNotEmpty()
  @ArrayMaxSize(200)
  @ArrayUnique()
  @IsUUID('all', { each: true })
  caseIds: string[];
}
