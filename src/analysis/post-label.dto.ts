import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsBoolean, IsIn, IsOptional } from 'class-validator';
import { TOPICS, type Topic } from './topic-cues.js';

export class PostLabelBody {
  @ApiPropertyOptional({ description: 'Whether the post is a complaint' })
  @IsOptional()
  @IsBoolean()
  complaint?: boolean;

  @ApiPropertyOptional({ enum: TOPICS })
  @IsOptional()
  @IsIn(TOPICS)
  topic?: Topic;
}
