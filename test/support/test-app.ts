import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import axios, { type AxiosInstance } from 'axios';
import type { NestExpressApplication } from '@nestjs/platform-express';
import type { Clock } from '../../src/common/clock.js';
import type { AppConfig } from '../../src/config/app-config.js';
import { loadConfig } from '../../src/config/config.loader.js';
import { createApp } from '../../src/main.js';
import { PROJECT_ROOT } from './paths.js';
import { createTestDatabase, type TestDatabase } from './test-database.js';

export const TOKENS = { agent: 'agent-token-1', agent2: 'agent-token-2', approver: 'approver-token', manager: 'manager-token' };

export interface TestApp {
  app: NestExpressApplication;
  url: string;
  config: AppConfig;
  db: TestDatabase;
  // What the config was loaded from, for a command run beside the app (paradox user:create).
  configFile: string;
  env: Record<string, string>;
  as(role: keyof typeof TOKENS): AxiosInstance;
  anonymous: AxiosInstance;
  close(): Promise<void>;
}

// Boots the real app on a test database, with a config file written as a user would write one.
export async function startTestApp(file: Record<string, unknown>, options: { clock?: Clock; env?: Record<string, string>; db?: TestDatabase } = {}): Promise<TestApp> {
  const db = options.db ?? (await createTestDatabase());
  const dir = mkdtempSync(join(tmpdir(), 'paradox-config-'));
  const configFile = join(dir, 'paradox.json');
  writeFileSync(
    configFile,
    JSON.stringify({
      access: [
        { name: 'alice', role: 'agent', tokenEnv: 'T_AGENT' },
        { name: 'bob', role: 'agent', tokenEnv: 'T_AGENT2' },
        { name: 'petra', role: 'approver', tokenEnv: 'T_APPROVER' },
        { name: 'maria', role: 'manager', tokenEnv: 'T_MANAGER' },
      ],
      ...file,
    }),
  );
  const env = {
    PARADOX_CONFIG: configFile,
    ...db.env,
    T_AGENT: TOKENS.agent,
    T_AGENT2: TOKENS.agent2,
    T_APPROVER: TOKENS.approver,
    T_MANAGER: TOKENS.manager,
    ...options.env,
  };
  const config = loadConfig(env, PROJECT_ROOT);
  const app = await createApp(config, options.clock, ['error']);
  await app.listen(0, '127.0.0.1');
  const url = (await app.getUrl()).replace('[::1]', '127.0.0.1');
  const client = (token?: string) =>
    axios.create({ baseURL: url, validateStatus: () => true, headers: token ? { Authorization: `Bearer ${token}` } : {} });
  return {
    app,
    url,
    config,
    db,
    configFile,
    env,
    as: (role) => client(TOKENS[role]),
    anonymous: client(),
    async close() {
      await app.close();
      if (!options.db) await db.stop();
    },
  };
}

export function mastodonSource(baseUrl: string, extra: Record<string, unknown> = {}) {
  return {
    brands: [{ id: 'acme', name: 'Acme', defaultLanguage: 'en', sla: { ackMinutes: 60 }, followUp: { delayMinutes: 4320 } }],
    sources: [
      {
        id: 'acme-mastodon',
        brand: 'acme',
        type: 'mastodon',
        pollSeconds: 1,
        mastodon: { baseUrl, accessTokenEnv: 'T_MASTODON', hashtags: ['acmefail'], timeoutMs: 500, ...extra },
      },
    ],
    worker: { schedule: false, publishEveryMs: 200 },
  };
}
