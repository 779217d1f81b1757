import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsOptional, IsString, IsUrl, Matches, MaxLength } from 'class-validator';

export class WebSubSourceParam {
  @ApiProperty({ description: 'The id of a feed source in the config', example: 'acme-reviews' })
  @Matches(/^[a-z0-9][a-z0-9-]*$/, { message: 'a source id (a lowercase slug)' })
  sourceId: string;
}

// The hub's verification of intent (WebSub 5.3) and its denial notice (5.2).
export class IntentVerificationQuery {
  @ApiProperty({ enum: ['subscribe', 'unsubscribe', 'denied'] })
  @IsIn(['subscribe', 'unsubscribe', 'denied'])
  'hub.mode': string;

  @ApiProperty({ description: 'The feed the subscription is for' })
  @IsUrl({ require_tld: false, protocols: ['http', 'https'], require_protocol: true })
  'hub.topic': string;

  @ApiPropertyOptional({ description: 'Echoed in the body when Paradox asked for this' })
  @IsOptional() @IsString() @MaxLength(2000)
  'hub.challenge'?: string;

  @ApiPropertyOptional({ description: 'Seconds the hub keeps the subscription' })
  @IsOptional() @Matches(/^\d{1,10}$/, { message: 'whole seconds' })
  'hub.lease_seconds'?: string;

  @ApiPropertyOptional({ description: 'Why the hub denied the subscription' })
  @IsOptional() @IsString() @MaxLength(2000)
  'hub.reason'?: string;
}

export class PushReceipt {
  @ApiProperty({ enum: ['taken', 'refused'], description: 'refused: a bad signature, another topic or not a feed; acknowledged as WebSub asks, and ignored' })
  outcome: 'taken' | 'refused';

  @ApiProperty({ description: 'Entries handed to the poller' })
  entries: number;
}
