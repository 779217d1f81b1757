import { Module, type OnApplicationShutdown } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { AppConfig } from '../config/app-config.js';
import { DatabaseMaintenanceService } from './database-maintenance.service.js';
import { dataSourceOptions } from './data-source-options.js';
import { type EmbeddedDatabase, startEmbeddedDatabase } from './embedded-database.js';

// Started before TypeORM connects; stopped after it disconnects.
export class EmbeddedDatabaseHolder implements OnApplicationShutdown {
  current: EmbeddedDatabase | null = null;

  async onApplicationShutdown(): Promise<void> {
    await this.current?.stop();
    this.current = null;
  }
}

@Module({
  imports: [
    TypeOrmModule.forRootAsync({
      inject: [AppConfig, EmbeddedDatabaseHolder],
      useFactory: async (config: AppConfig, holder: EmbeddedDatabaseHolder) => {
        if (!config.databaseUrl) holder.current = await startEmbeddedDatabase({ dataDir: config.dataDir });
        return dataSourceOptions(config.databaseUrl ?? holder.current!.url, config.databasePoolSize);
      },
      // Migrations run at start, on both databases; the schema is never synchronised.
      dataSourceFactory: async (options) => {
        const ds = await new DataSource(options!).initialize();
        await ds.runMigrations({ transaction: 'each' });
        return ds;
      },
    }),
  ],
  providers: [DatabaseMaintenanceService],
  exports: [DatabaseMaintenanceService],
})
export class DatabaseModule {}
