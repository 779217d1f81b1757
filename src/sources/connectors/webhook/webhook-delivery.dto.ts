import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsISO6391, IsISO8601, IsObject, IsOptional, IsString, IsUrl, Matches, MaxLength, MinLength, ValidateNested } from 'class-validator';

export class WebhookSourceParam {
  @ApiProperty({ description: 'The id of a source of type webhook in the config', example: 'acme-feedback' })
  @Matches(/^[a-z0-9][a-z0-9-]*$/, { message: 'a source id (a lowercase slug)' })
  sourceId: string;
}

export class WebhookAuthor {
  @ApiProperty({ description: "The caller's id of the customer: the same customer, the same id", example: 'cust-8812', minLength: 1, maxLength: 200 })
  @IsString()
  @MinLength(1)
  @MaxLength(200)
  id: string;

  @ApiPropertyOptional({ description: 'How agents see the customer; the id when left out', example: 'anna.devries', maxLength: 100 })
  @IsOptional()
  @IsString()
  @MinLength(1)
  @MaxLength(100)
  handle?: string;

  @ApiPropertyOptional({ description: 'The name replies greet the customer by', example: 'Anna de Vries', maxLength: 200 })
  @IsOptional()
  @IsString()
  @MaxLength(200)
  name?: string;
}

// One post delivered by a caller. Stored as text, never read as markup.
export class WebhookDelivery {
  @ApiProperty({
    description: "The caller's id for this post, unique per source: a delivery sent again with the same id is stored once",
    example: 'survey-response-40213',
    minLength: 1,
    maxLength: 200,
  })
  @IsString()
  @MinLength(1)
  @MaxLength(200)
  id: string;

  @ApiProperty({ description: "The customer's words, as plain text", example: 'The parcel never arrived and nobody answers my emails.', minLength: 1, maxLength: 10000 })
  @IsString()
  @MinLength(1)
  @MaxLength(10000)
  text: string;

  @ApiProperty({ type: WebhookAuthor })
  @IsObject()
  @ValidateNested()
  @Type(() => WebhookAuthor)
  author: WebhookAuthor;

  @ApiPropertyOptional({ description: 'Where the post can be seen (https only)', example: 'https://surveys.example/responses/40213', maxLength: 2000 })
  @IsOptional()
  @IsUrl({ protocols: ['https'], require_protocol: true })
  @MaxLength(2000)
  url?: string;

  @ApiPropertyOptional({ description: 'The language as the caller knows it (ISO 639-1); detected from the text when left out', example: 'en' })
  @IsOptional()
  @IsISO6391()
  language?: string;

  @ApiPropertyOptional({ description: 'When the customer wrote it (ISO 8601); the time of the delivery when left out, and never later than that', example: '2026-11-02T09:00:00Z' })
  @IsOptional()
  @IsISO8601({ strict: true })
  postedAt?: string;

  @ApiPropertyOptional({
    description: "The id of what this post answers: an earlier delivery's id, or the id the callback gave a reply (a customer's answer to a follow-up)",
    example: 'reply-7781',
    maxLength: 200,
  })
  @IsOptional()
  @IsString()
  @MinLength(1)
  @MaxLength(200)
  inReplyTo?: string;
}

export class WebhookReceipt {
  @ApiProperty({ description: 'The stored post', format: 'uuid' })
  postId: string;

  @ApiProperty({ description: 'The case the post opened or joined, if any', format: 'uuid', nullable: true, type: String })
  caseId: string | null;

  @ApiProperty({ description: 'True when a delivery with this id was stored before: nothing new was stored' })
  duplicate: boolean;
}
