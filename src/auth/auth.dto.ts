import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { ArrayMaxSize, IsArray, IsBoolean, IsDate, IsEmail, IsIn, IsOptional, IsString, IsUUID, Matches, MaxLength, MinLength, ValidateIf, ValidateNested } from 'class-validator';
import { ROLES, type Role } from '../config/config.schema.js';
import { USER_NAME } from './users.service.js';

// Long enough for any passphrase, short enough that nobody makes argon2 hash a megabyte.
const PASSWORD_FIELD_MAX = 1024;
const USER_NAME_MESSAGE = { message: 'lowercase letters, digits and . _ - (at most 63)' };

export class SignInBody {
  // Checked when sent, and required when name is not.
  @ApiPropertyOptional({ description: 'The email address (any case); or send name', example: 'maria@acme.example' })
  @ValidateIf((b: SignInBody) => b.name === undefined || b.email !== undefined)
  @IsEmail()
  @MaxLength(254)
  email?: string;

  @ApiPropertyOptional({ description: 'The login name; or send email', example: 'maria' })
  @ValidateIf((b: SignInBody) => b.email === undefined || b.name !== undefined)
  @IsString()
  @MinLength(1)
  @MaxLength(254)
  name?: string;

  @ApiProperty({ format: 'password' })
  @IsString()
  @MinLength(1)
  @MaxLength(PASSWORD_FIELD_MAX)
  password: string;
}

export class ChangePasswordBody {
  @ApiProperty({ format: 'password' })
  @IsString()
  @MinLength(1)
  @MaxLength(PASSWORD_FIELD_MAX)
  currentPassword: string;

  @ApiProperty({ format: 'password', description: 'At least 12 characters, without your name or email address' })
  @IsString()
  @MaxLength(PASSWORD_FIELD_MAX)
  newPassword: string;
}

export class GrantBody {
  @ApiProperty({ enum: ROLES })
  @IsIn(ROLES)
  role: Role;

  @ApiProperty({ type: String, nullable: true, description: 'A configured brand, or null for every brand', example: 'acme' })
  @ValidateIf((g: GrantBody) => g.brandId !== null)
  @Matches(/^[a-z0-9][a-z0-9-]*$/, { message: 'a brand id, or null for every brand' })
  brandId: string | null;
}

export class CreateUserBody {
  @ApiProperty({ description: 'The login name, shown as the actor on cases and in the audit', example: 'maria' })
  @Matches(USER_NAME, USER_NAME_MESSAGE)
  name: string;

  @ApiProperty({ description: 'Unique, whatever its case', example: 'maria@acme.example' })
  @IsEmail()
  @MaxLength(254)
  email: string;

  @ApiProperty({ example: 'Maria Jansen' })
  @IsString()
  @MinLength(1)
  @MaxLength(200)
  displayName: string;

  @ApiProperty({ type: [GrantBody] })
  @IsArray()
  @ArrayMaxSize(100)
  @ValidateNested({ each: true })
  @Type(() => GrantBody)
  grants: GrantBody[];

  @ApiPropertyOptional({ format: 'password', description: 'A temporary password; generated and shown once when left out. Either way it must be changed at first sign-in' })
  @IsOptional()
  @IsString()
  @MaxLength(PASSWORD_FIELD_MAX)
  password?: string;
}

export class UpdateUserBody {
  @ApiPropertyOptional({ example: 'Maria Jansen' })
  @IsOptional()
  @IsString()
  @MinLength(1)
  @MaxLength(200)
  displayName?: string;

  @ApiPropertyOptional({ description: 'false ends the user’s sessions and stops the tokens acting as the user' })
  @IsOptional()
  @IsBoolean()
  active?: boolean;

  @ApiPropertyOptional({ type: [GrantBody], description: 'The user’s grants after the change, all of them' })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(100)
  @ValidateNested({ each: true })
  @Type(() => GrantBody)
  grants?: GrantBody[];
}

export class UserIdParam {
  @ApiProperty({ format: 'uuid' })
  @IsUUID()
  id: string;
}

export class CreateApiTokenBody {
  @ApiProperty({ description: 'Unique; the actor of a token with its own grants is token:<name>', example: 'helpdesk-sync' })
  @Matches(/^[a-z0-9][a-z0-9._-]{0,62}$/, { message: 'lowercase letters, digits and . _ - (at most 63)' })
  name: string;

  @ApiPropertyOptional({ format: 'uuid', description: 'The token acts as this user, with the user’s roles as they change: yourself, or (for an admin) a user within your reach' })
  @IsOptional()
  @IsUUID()
  userId?: string;

  @ApiPropertyOptional({ type: [GrantBody], description: 'Or roles of its own: an admin may grant any role in its brands, a manager agent, approver or manager in its brands' })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(100)
  @ValidateNested({ each: true })
  @Type(() => GrantBody)
  grants?: GrantBody[];

  @ApiPropertyOptional({ description: 'When it stops working (ISO 8601); never when left out' })
  @IsOptional()
  @Type(() => Date)
  @IsDate()
  expiresAt?: Date;
}

export class ApiTokenIdParam {
  @ApiProperty({ format: 'uuid' })
  @IsUUID()
  id: string;
}
