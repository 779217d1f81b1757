import { ApiProperty } from '@nestjs/swagger';
import { IsBoolean, IsString, MaxLength, MinLength } from 'class-validator';

export class ResolveBody {
  @ApiProperty({ description: 'What was done for the customer', maxLength: 5000 })
  @IsString()
  @MinLength(1)
  @MaxLength(5000)
  note: string;

  @ApiProperty({ description: 'Fixed in this one conversation, without a transfer or a repeated question' })
  @IsBoolean()
  firstTimeFix: boolean;
}
