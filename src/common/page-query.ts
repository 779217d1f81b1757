import { ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsInt, IsOptional, Max, Min } from 'class-validator';

// The paging of a list endpoint's query (?limit=&offset=), for its query class to extend:
// `class CasesQuery extends PageQuery() { … }`.
export function PageQuery(defaultLimit = 50, maxLimit = 200) {
  class Page {
    @ApiPropertyOptional({ default: defaultLimit, maximum: maxLimit })
    @IsOptional()
    @Type(() => Number)
    @IsInt()
    @Min(1)
    @Max(maxLimit)
    limit = defaultLimit;

    @ApiPropertyOptional({ default: 0 })
    @IsOptional()
    @Type(() => Number)
    @IsInt()
    @Min(0)
    offset = 0;
  }
  return Page;
}
