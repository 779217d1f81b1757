import type { AuthConfig, BrandConfig, Role, ServerConfig, SourceConfig, TEMPLATE_KINDS, WorkerConfig } from './config.schema.js';

export type TemplateKind = (typeof TEMPLATE_KINDS)[number];

// One language's template file: a text per reply kind. The database holds each brand's copy.
export type ReplyTemplates = Record<TemplateKind, string>;

export interface ApiToken {
  name: string;
  role: Role;
  token: string;
}

export interface ResolvedSource extends SourceConfig {
  // As configured, else the platform's default (config.loader.ts, defaultPollSeconds).
  pollSeconds: number;
  // The access token, app password or shared secret, from the environment variable the config
  // names; never logged.
  accessToken: string | null;
  // Every secret of the source's settings block by name, without "Env" (clientSecretEnv →
  // clientSecret): the values of the environment variables named there.
  secrets: Record<string, string>;
}

// The validated configuration: the only place the rest of the app learns settings from.
export class AppConfig {
  server: ServerConfig;
  worker: WorkerConfig;
  auth: AuthConfig;
  brands: BrandConfig[];
  sources: ResolvedSource[];
  apiTokens: ApiToken[];
  // Generated when no tokens are configured, so a first local run is still locked; it stops
  // working once the database holds a user (the first admin comes from `paradox user:create`).
  generatedToken: ApiToken | null;
  databaseUrl: string | null;
  databasePoolSize: number;
  dataDir: string;
  // The template files, which seed each brand's templates in the database.
  templates: Record<string, ReplyTemplates>;

  brand(id: string): BrandConfig {
    const brand = this.brands.find((b) => b.id === id);
    if (!brand) throw new Error(`Unknown brand ${id}`);
    return brand;
  }
}
