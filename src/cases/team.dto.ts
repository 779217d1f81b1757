import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsOptional, IsString, IsUUID, Matches, MaxLength, MinLength } from 'class-validator';

const SLUG = /^[a-z0-9][a-z0-9-]*$/;

export class TeamIdParam {
  @ApiProperty({ format: 'uuid' })
  @IsUUID()
  id: string;
}

export class TeamMemberParam extends TeamIdParam {
  @ApiProperty()
  @IsString()
  @MinLength(1)
  @MaxLength(200)
  member: string;
}

export class TeamsQuery {
  @ApiPropertyOptional()
  @IsOptional()
  @Matches(SLUG)
  brand?: string;
}

export class CreateTeamBody {
  @ApiProperty({ description: 'The brand the team works for' })
  @Matches(SLUG)
  brandId: string;

  @ApiProperty({ example: 'Billing' })
  @IsString()
  @MinLength(1)
  @MaxLength(100)
  name: string;
}

export class TeamMemberBody {
  @ApiProperty({ description: "The member's name, as cases are claimed with (a user's or a token's name)" })
  @IsString()
  @MinLength(1)
  @MaxLength(200)
  name: string;
}
