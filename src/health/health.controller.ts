import { Controller, Get } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { Public } from '../auth/roles.decorator.js';
import { AppConfig } from '../config/app-config.js';

@ApiTags('health')
@Controller('health')
export class HealthController {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly config: AppConfig,
  ) {}

  @Get()
  @Public()
  @ApiOperation({ summary: 'Liveness and database reachability; says whether the demo source runs' })
  async health() {
    await this.db.query('SELECT 1');
    return {
      status: 'ok',
      database: this.config.databaseUrl ? 'server' : 'embedded',
      demo: this.config.sources.some((s) => s.type === 'demo'),
    };
  }
}
