import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { IsBoolean, IsOptional, IsString, IsUUID, Matches, MaxLength, MinLength } from 'class-validator';
import { PageQuery } from '../common/page-query.js';

// PostgreSQL text cannot hold NUL; everything else is kept exactly as written.
const NO_NUL = /^[^\u0000]*$/;

export class CustomerIdParam {
  @ApiProperty({ format: 'uuid' })
  @IsUUID()
  id: string;
}

export class CustomerAuthorParams {
  @ApiProperty({ format: 'uuid' })
  @IsUUID()
  id: string;

  @ApiProperty({ format: 'uuid' })
  @IsUUID()
  authorId: string;
}

export class ProfileQuery {
  @ApiPropertyOptional({ format: 'uuid', description: 'The case the failures before are counted from; the newest case when left out' })
  @IsOptional()
  @IsUUID()
  caseId?: string;
}

export class LinkAuthorBody {
  @ApiProperty({ format: 'uuid', description: "An author who wrote to the brand: moved here with all its cases" })
  @IsUUID()
  authorId: string;
}

export class NoteBody {
  @ApiProperty({ description: 'Plain text, kept as written and never rendered as markup', maxLength: 5000 })
  @IsString()
  @MinLength(1)
  @MaxLength(5000)
  @Matches(NO_NUL, { message: 'text must not contain NUL characters' })
  text: string;
}

export class NotificationIdParam {
  @ApiProperty({ format: 'uuid' })
  @IsUUID()
  id: string;
}

export class NotificationsQuery extends PageQuery() {
  @ApiPropertyOptional()
  @IsOptional()
  @Matches(/^[a-z0-9][a-z0-9-]*$/)
  brand?: string;

  @ApiPropertyOptional({ description: 'Only the unread ones' })
  @IsOptional()
  @Transform(({ value }) => (value === 'true' ? true : value === 'false' ? false : value))
  @IsBoolean()
  unread?: boolean;

}

export class CompensationBody {
  @ApiProperty({ description: "In the brand's currency, as a decimal: 25, \"25.00\"; read exactly into cents", example: '25.00' })
  @Transform(({ value }) => (typeof value === 'number' && Number.isFinite(value) ? String(value) : value))
  @Matches(/^\d{1,10}(\.\d+)?$/, { message: 'amount must be a positive decimal such as 25 or "25.00"' })
  amount: string;

  @ApiPropertyOptional({ description: "The brand's goodwill currency (ISO 4217); checked when given", example: 'EUR' })
  @IsOptional()
  @Matches(/^[A-Z]{3}$/, { message: 'currency must be an ISO 4217 code such as EUR' })
  currency?: string;

  @ApiProperty({ description: 'What is offered and why', maxLength: 1000 })
  @IsString()
  @MinLength(1)
  @MaxLength(1000)
  @Matches(NO_NUL, { message: 'description must not contain NUL characters' })
  description: string;
}

export class CompensationIdParam {
  @ApiProperty({ format: 'uuid' })
  @IsUUID()
  id: string;
}

export class DecisionBody {
  @ApiPropertyOptional({ maxLength: 2000 })
  @IsOptional()
  @IsString()
  @MaxLength(2000)
  @Matches(NO_NUL, { message: 'comment must not contain NUL characters' })
  comment?: string;
}

export class BudgetsQuery {
  @ApiPropertyOptional({ description: 'Every brand you manage when left out' })
  @IsOptional()
  @Matches(/^[a-z0-9][a-z0-9-]*$/)
  brand?: string;

  @ApiPropertyOptional({ description: 'YYYY-MM; the current month when left out', example: '2026-11' })
  @IsOptional()
  @Matches(/^\d{4}-(0[1-9]|1[0-2])$/, { message: 'month must be YYYY-MM' })
  month?: string;
}
