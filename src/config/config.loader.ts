import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { plainToInstance } from 'class-transformer';
import { type ValidationError, validateSync } from 'class-validator';
import { AppConfig, type ReplyTemplates, type ResolvedSource } from './app-config.js';
import { packageRoot } from '../common/package-root.js';
import { isCurrency, toMinorUnits } from '../customers/money.js';
import { EMBEDDED_POOL_SIZE } from '../database/embedded-database.js';
import { unknownVariables } from '../replies/reply-templates.js';
import { BrandConfig, LANGUAGES, ParadoxConfigFile, SourceConfig, type SourceType, TEMPLATE_KINDS, TEMPLATE_VARIABLES, WEEKDAYS } from './config.schema.js';

export class ConfigError extends Error {
  constructor(
    readonly key: string,
    readonly value: unknown,
    readonly expected: string,
  ) {
    super(`Invalid configuration: ${key} = ${JSON.stringify(value) ?? 'undefined'}; expected ${expected}`);
    this.name = 'ConfigError';
  }
}

type Env = Record<string, string | undefined>;

const DEMO_BRAND = { id: 'demo', name: 'Paradox Demo Shop (demo)', demo: true, defaultLanguage: 'nl', sla: { ackMinutes: 60 }, followUp: { delayMinutes: 2 }, claimMinutes: 30 };
const DEMO_SOURCE = { id: 'demo', brand: 'demo', type: 'demo', pollSeconds: 5 };

export function loadConfig(env: Env = process.env, cwd = process.cwd()): AppConfig {
  const file = resolve(cwd, env.PARADOX_CONFIG ?? 'config/paradox.json');
  const raw = readJson(file, 'PARADOX_CONFIG');
  const parsed = plainToInstance(ParadoxConfigFile, raw);
  const errors = validateSync(parsed, { whitelist: true, forbidNonWhitelisted: true });
  if (errors.length) throw toConfigError(errors[0], raw as Record<string, unknown>, '');

  if (parsed.sources.length === 0) {
    // No source configured: run the demo so a first `npm start` shows a live queue.
    if (!parsed.brands.some((b) => b.id === DEMO_BRAND.id)) parsed.brands.push(plainToInstance(BrandConfig, DEMO_BRAND));
    parsed.sources.push(plainToInstance(SourceConfig, DEMO_SOURCE));
  }
  checkReferences(parsed, env);

  const config = new AppConfig();
  config.server = parsed.server;
  config.worker = parsed.worker;
  config.auth = parsed.auth;
  config.brands = parsed.brands;
  config.sources = parsed.sources.map((s) => resolveSource(s, env));
  config.apiTokens = parsed.access.map((a, i) => ({ name: a.name, role: a.role, token: requireEnv(env, a.tokenEnv, `access[${i}].tokenEnv`) }));
  config.generatedToken = config.apiTokens.length ? null : { name: 'local-manager', role: 'manager', token: randomBytes(24).toString('base64url') };
  config.databaseUrl = env.DATABASE_URL || null;
  config.databasePoolSize = env.DATABASE_POOL_SIZE ? parsePoolSize(env.DATABASE_POOL_SIZE) : config.databaseUrl ? 20 : EMBEDDED_POOL_SIZE;
  if (!config.databaseUrl && config.databasePoolSize !== EMBEDDED_POOL_SIZE) {
    throw new ConfigError('DATABASE_POOL_SIZE', env.DATABASE_POOL_SIZE, `${EMBEDDED_POOL_SIZE} with the embedded database (set DATABASE_URL for a server)`);
  }
  config.dataDir = resolve(cwd, env.PARADOX_DATA_DIR ?? 'data');
  if (env.PORT !== undefined) config.server.port = parsePort(env.PORT);
  if (env.HOST) config.server.host = env.HOST;
  config.templates = loadTemplates(resolve(cwd, parsed.templatesDir ?? 'config/templates'));
  return config;
}

function readJson(file: string, key: string): unknown {
  if (!existsSync(file)) throw new ConfigError(key, file, 'a path to an existing JSON config file');
  try {
    return JSON.parse(readFileSync(file, 'utf8'));
  } catch (error) {
    throw new ConfigError(key, file, `valid JSON (${(error as Error).message})`);
  }
}

function toConfigError(error: ValidationError, raw: Record<string, unknown> | undefined, prefix: string): ConfigError {
  const key = /^\d+$/.test(error.property) ? `${prefix}[${error.property}]` : prefix ? `${prefix}.${error.property}` : error.property;
  const value = raw?.[error.property];
  if (error.children?.length) {
    return toConfigError(error.children[0], value as Record<string, unknown>, key);
  }
  return new ConfigError(key, value, Object.values(error.constraints ?? {}).join('; '));
}

function checkReferences(parsed: ParadoxConfigFile, env: Env): void {
  const brandIds = new Set<string>();
  parsed.brands.forEach((b, i) => {
    if (brandIds.has(b.id)) throw new ConfigError(`brands[${i}].id`, b.id, 'a brand id used once');
    brandIds.add(b.id);
    checkSla(b, `brands[${i}].sla`);
    const { currency, monthlyBudgetPerAgent } = b.goodwill;
    if (!isCurrency(currency)) throw new ConfigError(`brands[${i}].goodwill.currency`, currency, 'an ISO 4217 currency code such as EUR');
    if (toMinorUnits(monthlyBudgetPerAgent, currency) === null) {
      throw new ConfigError(`brands[${i}].goodwill.monthlyBudgetPerAgent`, monthlyBudgetPerAgent, `an amount in ${currency} with at most its decimals`);
    }
  });
  const sourceIds = new Set<string>();
  parsed.sources.forEach((s, i) => {
    if (sourceIds.has(s.id)) throw new ConfigError(`sources[${i}].id`, s.id, 'a source id used once');
    sourceIds.add(s.id);
    if (!brandIds.has(s.brand)) throw new ConfigError(`sources[${i}].brand`, s.brand, `one of the configured brands (${[...brandIds].join(', ')})`);
    if (s.type === 'demo') return;
    const block = settingsOf(s);
    if (!block) throw new ConfigError(`sources[${i}].${s.type}`, undefined, `a ${s.type} block with ${REQUIRED_SETTINGS[s.type]}`);
    // Every secret the block names must be set; an optional one only when it is named.
    for (const [key, name] of Object.entries(block)) {
      if (key.endsWith('Env') && typeof name === 'string') requireEnv(env, name, `sources[${i}].${s.type}.${key}`);
    }
  });
}

// The milestones follow each other, and business hours open at some time of the week.
function checkSla(brand: BrandConfig, key: string): void {
  const { ackMinutes, firstResponseMinutes, resolutionMinutes, businessHours } = brand.sla;
  if (firstResponseMinutes < ackMinutes) throw new ConfigError(`${key}.firstResponseMinutes`, firstResponseMinutes, `at least ackMinutes (${ackMinutes})`);
  if (resolutionMinutes < firstResponseMinutes) throw new ConfigError(`${key}.resolutionMinutes`, resolutionMinutes, `at least firstResponseMinutes (${firstResponseMinutes})`);
  if (!businessHours) return;
  const minutes = (hhmm: string) => Number(hhmm.slice(0, 2)) * 60 + Number(hhmm.slice(3, 5));
  for (const day of WEEKDAYS) {
    const spans = (businessHours[day] ?? []).map((text, n) => ({ text, n, from: minutes(text.slice(0, 5)), to: minutes(text.slice(6)) }));
    for (const span of spans) {
      if (span.from >= span.to) throw new ConfigError(`${key}.businessHours.${day}[${span.n}]`, span.text, 'a span that closes after it opens (a night shift is two spans: "22:00-24:00" and the next day\'s "00:00-06:00")');
    }
    const sorted = [...spans].sort((a, b) => a.from - b.from);
    for (let n = 1; n < sorted.length; n++) {
      if (sorted[n].from < sorted[n - 1].to) throw new ConfigError(`${key}.businessHours.${day}[${sorted[n].n}]`, sorted[n].text, `a span that does not overlap ${sorted[n - 1].text}`);
    }
  }
  if (!WEEKDAYS.some((day) => businessHours[day]?.length)) throw new ConfigError(`${key}.businessHours`, businessHours, 'opening hours on at least one weekday');
}

const REQUIRED_SETTINGS: Record<Exclude<SourceType, 'demo'>, string> = {
  mastodon: 'baseUrl and accessTokenEnv',
  bluesky: 'service, identifier and appPasswordEnv',
  x: 'accessTokenEnv',
  reddit: 'clientIdEnv, clientSecretEnv, username, passwordEnv and userAgent',
  rss: 'url',
  webhook: 'secretEnv',
};

// The settings block of the source's own type (source.mastodon for a Mastodon source, ...).
function settingsOf(source: SourceConfig): object | undefined {
  return source.type === 'demo' ? source.demo : source[source.type];
}

// The poll interval of a source whose config names none. Where only a poll finds a post
// (Bluesky, Reddit), as often as half the platform's rate limit allows for the requests a poll
// makes, so a complaint is in the queue within seconds and replies keep their room. Where a
// stream carries the posts (Mastodon; X with the filtered stream), once a minute: the poll only
// fills the gaps. A feed is someone else's server and changes when its publisher writes: every
// ten minutes.
export function defaultPollSeconds(source: SourceConfig): number {
  switch (source.type) {
    case 'bluesky':
      // One notifications read and one search per keyword; Bluesky allows 3,000 requests per five
      // minutes per address: half of that is 5 a second.
      return Math.max(2, Math.ceil((1 + (source.bluesky?.keywords.length ?? 0)) / 5));
    case 'reddit':
      // Three listings and one search per keyword; Reddit allows 100 requests a minute: 90 leaves
      // ten for replies and the extra pages of a busy minute (the README's table).
      return Math.max(2, Math.ceil(((3 + (source.reddit?.keywords.length ?? 0)) * 60) / 90));
    case 'rss':
      return 600;
    case 'demo':
      return 5;
    default:
      return 60;
  }
}

function resolveSource(source: SourceConfig, env: Env): ResolvedSource {
  const secrets: Record<string, string> = {};
  for (const [key, name] of Object.entries(settingsOf(source) ?? {})) {
    if (key.endsWith('Env') && typeof name === 'string' && env[name]) secrets[key.slice(0, -'Env'.length)] = env[name]!;
  }
  const accessToken = secrets.accessToken ?? secrets.appPassword ?? secrets.secret ?? null;
  return Object.assign(source, { accessToken, secrets, pollSeconds: source.pollSeconds ?? defaultPollSeconds(source) });
}

function requireEnv(env: Env, name: string, key: string): string {
  const value = env[name];
  if (!value) throw new ConfigError(key, name, `the name of an environment variable that is set (${name} is empty)`);
  return value;
}

function parsePoolSize(value: string): number {
  const size = Number(value);
  if (!Number.isInteger(size) || size < 1 || size > 200) throw new ConfigError('DATABASE_POOL_SIZE', value, 'a whole number from 1 to 200');
  return size;
}

function parsePort(value: string): number {
  const port = Number(value);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new ConfigError('PORT', value, 'a whole number from 0 to 65535');
  return port;
}

const SHIPPED_TEMPLATES = join(packageRoot(import.meta.url), 'config/templates');

// Each language's file holds a text per reply kind. A folder written before there were five kinds
// holds two (with `followUp` for follow_up): the kinds it leaves out come from the shipped files.
function loadTemplates(dir: string): Record<string, ReplyTemplates> {
  const templates: Record<string, ReplyTemplates> = {};
  for (const lang of LANGUAGES) {
    const own = readTemplateFile(dir, lang);
    const shipped = resolve(dir) === SHIPPED_TEMPLATES ? own : readTemplateFile(SHIPPED_TEMPLATES, lang);
    const texts = {} as ReplyTemplates;
    for (const kind of TEMPLATE_KINDS) {
      const text = own[kind] ?? (kind === 'follow_up' ? own.followUp : undefined) ?? shipped[kind];
      if (text === undefined) throw new ConfigError(`templates.${lang}.${kind}`, undefined, 'a non-empty text');
      texts[kind] = text;
    }
    templates[lang] = texts;
  }
  return templates;
}

function readTemplateFile(dir: string, lang: string): Record<string, string> {
  const raw = readJson(resolve(dir, `${lang}.json`), `templatesDir (${lang}.json)`) as Record<string, unknown>;
  const keys: readonly string[] = [...TEMPLATE_KINDS, 'followUp'];
  for (const [key, text] of Object.entries(raw)) {
    const at = `templates.${lang}.${key}`;
    if (!keys.includes(key)) throw new ConfigError(at, text, `a reply kind (${TEMPLATE_KINDS.join(', ')})`);
    if (typeof text !== 'string' || !text.trim()) throw new ConfigError(at, text, 'a non-empty text');
    const unknown = unknownVariables(text);
    if (unknown.length) throw new ConfigError(at, text, `only the variables ${TEMPLATE_VARIABLES.map((v) => `{${v}}`).join(', ')} (not ${unknown.map((v) => `{${v}}`).join(', ')})`);
  }
  return raw as Record<string, string>;
}
