import { DataSource } from 'typeorm';
import type { AppConfig } from '../config/app-config.js';
import { dataSourceOptions } from './data-source-options.js';
import { startEmbeddedDatabase } from './embedded-database.js';

// The configured database opened as the app opens it (DatabaseModule), for a command run beside
// it: the embedded one in dataDir unless DATABASE_URL names a server, migrated.
export async function openDatabase(config: AppConfig): Promise<{ dataSource: DataSource; close(): Promise<void> }> {
  const embedded = config.databaseUrl ? null : await startEmbeddedDatabase({ dataDir: config.dataDir });
  try {
    const dataSource = await new DataSource(dataSourceOptions(config.databaseUrl ?? embedded!.url, config.databasePoolSize)).initialize();
    await dataSource.runMigrations({ transaction: 'each' });
    return {
      dataSource,
      async close() {
        await dataSource.destroy();
        await embedded?.stop();
      },
    };
  } catch (error) {
    await embedded?.stop();
    throw error;
  }
}
