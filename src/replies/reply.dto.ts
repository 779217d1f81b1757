import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsOptional, IsString, IsUUID, MaxLength, MinLength } from 'class-validator';

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
