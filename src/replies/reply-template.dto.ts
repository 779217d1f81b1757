import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsOptional, IsString, Matches, MaxLength } from 'class-validator';
import { LANGUAGES } from '../config/config.schema.js';
import { REPLY_KINDS, type ReplyKind } from './reply.entity.js';

const SLUG = /^[a-z0-9][a-z0-9-]*$/;

export class TemplatesQuery {
  @ApiPropertyOptional({ description: "One brand's templates; without it, those of every brand the caller works for" })
  @IsOptional()
  @Matches(SLUG)
  brand?: string;
}

export class TemplateParams {
  @ApiProperty()
  @Matches(SLUG)
  brand: string;

  @ApiProperty({ enum: REPLY_KINDS })
  @IsIn(REPLY_KINDS)
  kind: ReplyKind;

  @ApiProperty({ enum: LANGUAGES })
  @IsIn(LANGUAGES)
  language: (typeof LANGUAGES)[number];
}

export class TemplateBody {
  @ApiProperty({ description: 'The template, with {firstName}, {caseRef}, {agentName} and {brand} to fill in', maxLength: 5000 })
  @IsString()
  @Matches(/\S/, { message: 'text must not be blank' })
  @MaxLength(5000)
  text: string;
}
