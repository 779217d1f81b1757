import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsOptional, IsString, IsUUID, Matches, MaxLength } from 'class-validator';
import { PageQuery } from '../common/page-query.js';

export class ApprovalsQuery extends PageQuery() {
  @ApiPropertyOptional()
  @IsOptional()
  @Matches(/^[a-z0-9][a-z0-9-]*$/)
  brand?: string;

}

export class ApprovalParams {
  @ApiProperty({ format: 'uuid' })
  @IsUUID()
  replyId: string;
}

export class ApproveBody {
  @ApiPropertyOptional({ description: "The approver's wording; the author's text is kept beside it and the edit shown as a word diff", maxLength: 5000 })
  @IsOptional()
  @IsString()
  @Matches(/\S/, { message: 'text must not be blank' })
  @MaxLength(5000)
  text?: string;

  @ApiPropertyOptional({ maxLength: 2000 })
  @IsOptional()
  @IsString()
  @MaxLength(2000)
  comment?: string;
}

export class RejectBody {
  @ApiProperty({ description: 'Why, for the author, who writes a new reply', maxLength: 2000 })
  @IsString()
  @Matches(/\S/, { message: 'comment must say why' })
  @MaxLength(2000)
  comment: string;
}
