import { type DynamicModule, Global, Module } from '@nestjs/common';
import { APP_FILTER } from '@nestjs/core';
import { ScheduleModule } from '@nestjs/schedule';
import { AnalysisModule } from './analysis/analysis.module.js';
import { AuditModule } from './audit/audit.module.js';
import { AuthModule } from './auth/auth.module.js';
import { CasesModule } from './cases/cases.module.js';
import { AppErrorFilter } from './common/app-error.filter.js';
import { Clock, SystemClock } from './common/clock.js';
import { AppConfig } from './config/app-config.js';
import { CustomersModule } from './customers/customers.module.js';
import { DatabaseModule, EmbeddedDatabaseHolder } from './database/database.module.js';
import { FollowUpsModule } from './follow-ups/follow-ups.module.js';
import { HealthController } from './health/health.controller.js';
import { RepliesModule } from './replies/replies.module.js';
import { SourcesModule } from './sources/sources.module.js';

@Global()
@Module({})
class CoreModule {
  static with(config: AppConfig, clock: Clock): DynamicModule {
    const holder = new EmbeddedDatabaseHolder();
    return {
      module: CoreModule,
      providers: [
        { provide: AppConfig, useValue: config },
        { provide: Clock, useValue: clock },
        { provide: EmbeddedDatabaseHolder, useValue: holder },
      ],
      exports: [AppConfig, Clock, EmbeddedDatabaseHolder],
    };
  }
}

@Module({})
export class AppModule {
  // The config is loaded and validated before Nest starts, so a bad value stops the process early.
  static with(config: AppConfig, clock: Clock = new SystemClock()): DynamicModule {
    return {
      module: AppModule,
      imports: [
        CoreModule.with(config, clock),
        ScheduleModule.forRoot(),
        DatabaseModule,
        AuditModule,
        AuthModule,
        AnalysisModule,
        SourcesModule,
        CustomersModule,
        CasesModule,
        RepliesModule,
        FollowUpsModule,
      ],
      controllers: [HealthController],
      providers: [{ provide: APP_FILTER, useClass: AppErrorFilter }],
    };
  }
}
