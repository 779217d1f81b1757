import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsOptional, IsString, IsUUID, IsUrl, Matches, MaxLength, MinLength } from 'class-validator';
import { REPLY_KINDS, type ReplyKind } from './reply.entity.js';

export class AcknowledgeBody {
  @ApiPropertyOptional({ description: "The reply as sent; the brand's template in the customer's language when left out", maxLength: 5000 })
  @IsOptional()
  @IsString()
  @MinLength(1)
  @MaxLength(5000)
  text?: string;
}

export class WriteReplyBody {
  @ApiProperty({ enum: REPLY_KINDS })
  @IsIn(REPLY_KINDS)
  kind: ReplyKind;

  @ApiPropertyOptional({ description: "The reply as sent; the brand's template for the kind in the customer's language when left out", maxLength: 5000 })
  @IsOptional()
  @IsString()
  @Matches(/\S/, { message: 'text must not be blank' })
  @MaxLength(5000)
  text?: string;
}

export class DraftQuery {
  @ApiProperty({ enum: REPLY_KINDS })
  @IsIn(REPLY_KINDS)
  kind: ReplyKind;
}

export class ReplyIdParam {
  @ApiProperty({ format: 'uuid' })
  @IsUUID()
  id: string;
}

export class RecordManualBody {
  @ApiPropertyOptional({ description: 'Where the reply posted by hand can be seen', example: 'https://reviews.example/acme#comment-42' })
  @IsOptional()
  @IsUrl({ protocols: ['http', 'https'], require_protocol: true, require_tld: false })
  @MaxLength(2000)
  url?: string;
}
