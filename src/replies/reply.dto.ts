import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsOptional, IsString, IsUUID, IsUrl, MaxLength, MinLength } from 'class-validator';

export class AcknowledgeBody {
  @ApiPropertyOptional({ description: "The reply as sent; the brand's template in the customer's language when left out", maxLength: 5000 })
  @IsOptional()
  @IsString()
  @MinLength(1)
  @MaxLength(5000)
  text?: string;
}

export class DraftQuery {
  @ApiProperty({ enum: ['acknowledgement', 'follow_up'] })
  @IsIn(['acknowledgement', 'follow_up'])
  kind: 'acknowledgement' | 'follow_up';
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
