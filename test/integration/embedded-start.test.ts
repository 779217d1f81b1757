import { describe, expect, it } from '@jest/globals';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import axios from 'axios';
import { loadConfig } from '../../src/config/config.loader.js';
import { startEmbeddedDatabase } from '../../src/database/embedded-database.js';
import { createApp } from '../../src/main.js';
import { PROJECT_ROOT } from '../support/paths.js';

describe('starting without DATABASE_URL', () => {
  it('opens an embedded PostgreSQL in the data directory, migrates it, and keeps the data across a restart', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'paradox-data-'));
    const config = () => loadConfig({ PARADOX_DATA_DIR: dataDir }, PROJECT_ROOT);
    try {
      for (const run of [1, 2]) {
        const c = config();
        c.worker.schedule = run === 1;
        const app = await createApp(c, undefined, ['error']);
        await app.listen(0, '127.0.0.1');
        const url = (await app.getUrl()).replace('[::1]', '127.0.0.1');
        const auth = { headers: { Authorization: `Bearer ${c.generatedToken!.token}` } };
        expect((await axios.get(`${url}/health`)).data).toEqual({ status: 'ok', database: 'embedded', demo: true });
        if (run === 1) {
          // A second opening of the same directory (a command run beside the app) is refused.
          await expect(startEmbeddedDatabase({ dataDir })).rejects.toThrow(`is open in process ${process.pid}`);
          // The scheduled demo poll runs at start.
          for (let i = 0; i < 100 && (await axios.get(`${url}/sources`, auth)).data[0].postsIngested === 0; i++) {
            await new Promise((r) => setTimeout(r, 50));
          }
        }
        expect((await axios.get(`${url}/sources`, auth)).data[0].postsIngested).toBeGreaterThan(0);
        await app.close();
      }
    } finally {
      rmSync(dataDir, { recursive: true, force: true });
    }
  }, 120_000);
});
