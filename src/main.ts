import 'reflect-metadata';
import { type LogLevel, Logger } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import { AppModule } from './app.module.js';
import { ApiTokensService } from './auth/api-tokens.service.js';
import { SESSION_COOKIE } from './auth/session-cookie.js';
import { Clock, SystemClock } from './common/clock.js';
import { validationPipe } from './common/validation.js';
import type { AppConfig } from './config/app-config.js';
import { ConfigError, loadConfig } from './config/config.loader.js';

export async function createApp(
  config: AppConfig,
  clock: Clock = new SystemClock(),
  logger: LogLevel[] = ['error', 'warn', 'log'],
): Promise<NestExpressApplication> {
  // rawBody: a signed webhook's signature covers the body exactly as it was sent.
  const app = await NestFactory.create<NestExpressApplication>(AppModule.with(config, clock), { logger, rawBody: true });
  app.useGlobalPipes(validationPipe());
  app.enableShutdownHooks();
  app.disable('x-powered-by');
  // Behind proxies: the client's address (sign-in throttling) and https (Secure cookies) from their headers.
  if (config.server.trustProxyHops > 0) app.set('trust proxy', config.server.trustProxyHops);
  const document = SwaggerModule.createDocument(
    app,
    new DocumentBuilder()
      .setTitle('Paradox')
      .setDescription('Public complaints in, recovered customers out: the response queue, replies and follow-ups.')
      .setVersion('0.1.0')
      .addBearerAuth()
      .addCookieAuth(SESSION_COOKIE)
      .build(),
  );
  SwaggerModule.setup('docs', app, document, { jsonDocumentUrl: 'docs/json' });
  return app;
}

async function main(): Promise<void> {
  let config: AppConfig;
  try {
    config = loadConfig();
  } catch (error) {
    if (error instanceof ConfigError) {
      process.stderr.write(`${error.message}\n`);
      process.exit(78);
    }
    throw error;
  }
  const app = await createApp(config);
  await app.listen(config.server.port, config.server.host);
  const url = (await app.getUrl()).replace('[::1]', 'localhost');
  const logger = new Logger('Paradox');
  logger.log(`Database: ${config.databaseUrl ? 'PostgreSQL server' : `embedded PostgreSQL in ${config.dataDir}`}`);
  if (config.sources.some((s) => s.type === 'demo')) logger.log('No source configured: the DEMO source is replaying example posts');
  // Like a notebook server, a first local run prints its own one-time token: the API is never open.
  // Once a user exists (the first admin comes from `paradox user:create`), people sign in instead.
  const oneTime = await app.get(ApiTokensService).oneTimeToken();
  const token = oneTime ? `\n  API token for this run (role ${oneTime.role}): ${oneTime.token}` : `\n  Sign in: POST ${url}/auth/sign-in`;
  process.stdout.write(`\nParadox is running: open ${url}/docs${token}\n  The queue: GET ${url}/cases\n\n`);
}

if (import.meta.url === `file://${process.argv[1]}`) {
  void main();
}
