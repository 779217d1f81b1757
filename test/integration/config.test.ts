import { describe, expect, it } from '@jest/globals';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ConfigError, loadConfig } from '../../src/config/config.loader.js';
import { PROJECT_ROOT } from '../support/paths.js';

function withFile(content: unknown, env: Record<string, string> = {}) {
  const dir = mkdtempSync(join(tmpdir(), 'paradox-config-'));
  const file = join(dir, 'paradox.json');
  writeFileSync(file, typeof content === 'string' ? content : JSON.stringify(content));
  return () => loadConfig({ PARADOX_CONFIG: file, ...env }, PROJECT_ROOT);
}

function configError(load: () => unknown): ConfigError {
  try {
    load();
  } catch (error) {
    if (error instanceof ConfigError) return error;
    throw error;
  }
  throw new Error('the config loaded');
}

const brand = { id: 'acme', name: 'Acme' };
const mastodon = { id: 'm', brand: 'acme', type: 'mastodon', mastodon: { baseUrl: 'https://example.social', accessTokenEnv: 'TOKEN' } };
const bluesky = { id: 'b', brand: 'acme', type: 'bluesky', bluesky: { service: 'https://bsky.social', identifier: 'acme.bsky.social', appPasswordEnv: 'BSKY' } };
const x = { id: 'x', brand: 'acme', type: 'x', x: { accessTokenEnv: 'X_TOKEN', refreshTokenEnv: 'X_REFRESH', clientIdEnv: 'X_CLIENT' } };

describe('loading the configuration', () => {
  it('runs the labelled demo source on the embedded database when nothing is configured', () => {
    const config = loadConfig({}, PROJECT_ROOT);
    expect(config.sources).toMatchObject([{ id: 'demo', type: 'demo', brand: 'demo' }]);
    expect(config.brand('demo')).toMatchObject({ demo: true, name: expect.stringContaining('(demo)') });
    expect(config.databaseUrl).toBeNull();
    expect(config.dataDir).toBe(join(PROJECT_ROOT, 'data'));
    expect(config.generatedToken?.token).toMatch(/^[\w-]{32}$/);
    expect(config.templates.nl.acknowledgement).toContain('{firstName}');
    expect(Object.keys(config.templates.en).sort()).toEqual(['acknowledgement', 'apology', 'follow_up', 'question', 'resolution']);
  });

  it('reads a Bluesky source with its app password from the variable it names', () => {
    const config = withFile({ brands: [brand], sources: [bluesky] }, { BSKY: 'app-password' })();
    expect(config.sources[0]).toMatchObject({ type: 'bluesky', accessToken: 'app-password', bluesky: { keywords: [], pageSize: 50 } });
  });

  it('reads an X source with its access token, refresh token and client id from the variables it names', () => {
    const config = withFile({ brands: [brand], sources: [x] }, { X_TOKEN: 'access', X_REFRESH: 'refresh', X_CLIENT: 'client' })();
    expect(config.sources[0]).toMatchObject({ type: 'x', accessToken: 'access', secrets: { accessToken: 'access', refreshToken: 'refresh', clientId: 'client' } });
    expect(config.sources[0].x).toMatchObject({ baseUrl: 'https://api.x.com', keywords: [], pageSize: 100, streaming: false });
  });

  it("reads a streaming X source's app-only bearer token from the variable it names", () => {
    const streaming = { ...x, x: { ...x.x, streaming: true, bearerTokenEnv: 'X_APP' } };
    const config = withFile({ brands: [brand], sources: [streaming] }, { X_TOKEN: 'access', X_REFRESH: 'refresh', X_CLIENT: 'client', X_APP: 'bearer' })();
    expect(config.sources[0]).toMatchObject({ accessToken: 'access', secrets: { accessToken: 'access', bearerToken: 'bearer' }, x: { streaming: true } });
  });

  it('polls as often as half the rate limit allows where only a poll finds a post, once a minute beside a stream, every ten minutes for a feed', () => {
    const reddit = (keywords: string[], pollSeconds?: number) => ({
      id: `r${keywords.length}${pollSeconds ?? ''}`,
      brand: 'acme',
      type: 'reddit',
      pollSeconds,
      reddit: { username: 'acme', clientIdEnv: 'R_ID', clientSecretEnv: 'R_SECRET', passwordEnv: 'R_PASSWORD', userAgent: 'paradox-test', keywords },
    });
    const many = Array.from({ length: 12 }, (_, i) => `word${i}`);
    const config = withFile(
      {
        brands: [brand],
        sources: [
          mastodon,
          bluesky,
          { ...bluesky, id: 'b12', bluesky: { ...bluesky.bluesky, keywords: many } },
          x,
          reddit(['a', 'b', 'c']),
          reddit(many.slice(0, 9)),
          reddit([], 30),
          { id: 'feed', brand: 'acme', type: 'rss', rss: { url: 'https://example.com/feed' } },
        ],
      },
      { TOKEN: 't', BSKY: 'p', X_TOKEN: 'a', X_REFRESH: 'r', X_CLIENT: 'c', R_ID: 'i', R_SECRET: 's', R_PASSWORD: 'p' },
    )();
    // Bluesky: 1 + keywords requests a poll within 5 a second; Reddit: 3 + keywords within 90 a minute.
    expect(config.sources.map((s) => [s.id, s.pollSeconds])).toEqual([
      ['m', 60],
      ['b', 2],
      ['b12', 3],
      ['x', 60],
      ['r3', 4],
      ['r9', 8],
      ['r030', 30],
      ['feed', 600],
    ]);
  });

  it('defaults the acknowledgement SLA to 60 minutes and the follow-up to three days', () => {
    const config = withFile({ brands: [brand], sources: [mastodon] }, { TOKEN: 'secret' })();
    expect(config.brand('acme').sla.ackMinutes).toBe(60);
    expect(config.brand('acme').followUp.delayMinutes).toBe(3 * 24 * 60);
    expect(config.sources[0].accessToken).toBe('secret');
  });

  it.each([
    [{ brands: [{ ...brand, sla: { ackMinutes: -5 } }] }, {}, 'brands[0].sla.ackMinutes', -5, 'ackMinutes must not be less than 1'],
    [{ brands: [{ ...brand, sla: { ackMinutes: 300 } }] }, {}, 'brands[0].sla.firstResponseMinutes', 240, 'at least ackMinutes (300)'],
    [{ brands: [{ ...brand, sla: { businessHours: { timeZone: 'Mars/Olympus', monday: ['09:00-17:00'] } } }] }, {}, 'brands[0].sla.businessHours.timeZone', 'Mars/Olympus', 'a valid IANA time-zone'],
    [{ brands: [{ ...brand, sla: { businessHours: { timeZone: 'Europe/Amsterdam', monday: ['9-17'] } } }] }, {}, 'brands[0].sla.businessHours.monday', ['9-17'], 'opening hours as "HH:MM-HH:MM"'],
    [{ brands: [{ ...brand, sla: { businessHours: { timeZone: 'Europe/Amsterdam', monday: ['17:00-09:00'] } } }] }, {}, 'brands[0].sla.businessHours.monday[0]', '17:00-09:00', 'closes after it opens'],
    [{ brands: [{ ...brand, sla: { businessHours: { timeZone: 'Europe/Amsterdam', friday: ['09:00-13:00', '12:00-17:00'] } } }] }, {}, 'brands[0].sla.businessHours.friday[1]', '12:00-17:00', 'does not overlap 09:00-13:00'],
    [{ brands: [{ ...brand, sla: { businessHours: { timeZone: 'Europe/Amsterdam', holidays: ['2026-12-25'] } } }] }, {}, 'brands[0].sla.businessHours', expect.objectContaining({ timeZone: 'Europe/Amsterdam', monday: [], sunday: [] }), 'at least one weekday'],
    [{ brands: [{ ...brand, sla: { businessHours: { timeZone: 'Europe/Amsterdam', monday: ['09:00-17:00'], holidays: ['25-12-2026'] } } }] }, {}, 'brands[0].sla.businessHours.holidays', ['25-12-2026'], 'YYYY-MM-DD'],
    [{ brands: [brand], sources: [{ ...mastodon, brand: 'other' }] }, { TOKEN: 'x' }, 'sources[0].brand', 'other', 'one of the configured brands (acme)'],
    [{ brands: [brand], sources: [mastodon] }, {}, 'sources[0].mastodon.accessTokenEnv', 'TOKEN', 'an environment variable that is set'],
    [{ brands: [brand], sources: [bluesky] }, {}, 'sources[0].bluesky.appPasswordEnv', 'BSKY', 'an environment variable that is set'],
    [{ brands: [brand], sources: [{ ...bluesky, bluesky: undefined }] }, { BSKY: 'x' }, 'sources[0].bluesky', undefined, 'a bluesky block'],
    [{ brands: [brand], sources: [{ ...bluesky, bluesky: { ...bluesky.bluesky, pageSize: 500 } }] }, { BSKY: 'x' }, 'sources[0].bluesky.pageSize', 500, 'must not be greater than 100'],
    [{ brands: [brand], sources: [{ ...mastodon, mastodon: { ...mastodon.mastodon, baseUrl: 'not a url' } }] }, { TOKEN: 'x' }, 'sources[0].mastodon.baseUrl', 'not a url', 'URL'],
    [{ brands: [brand], sources: [{ ...x, x: { ...x.x, clientIdEnv: undefined } }] }, { X_TOKEN: 'a', X_REFRESH: 'r' }, 'sources[0].x.clientIdEnv', undefined, 'an environment variable name'],
    [{ brands: [brand], sources: [{ ...x, x: { ...x.x, streaming: true } }] }, { X_TOKEN: 'a', X_REFRESH: 'r', X_CLIENT: 'c' }, 'sources[0].x.bearerTokenEnv', undefined, 'an environment variable name'],
    [{ brands: [brand], sources: [{ ...x, x: { ...x.x, streaming: true, bearerTokenEnv: 'X_APP' } }] }, { X_TOKEN: 'a', X_REFRESH: 'r', X_CLIENT: 'c' }, 'sources[0].x.bearerTokenEnv', 'X_APP', 'an environment variable that is set'],
    [{ brands: [brand], sources: [{ ...mastodon, type: 'myspace' }] }, {}, 'sources[0].type', 'myspace', 'one of the following values: mastodon, bluesky, x, reddit, rss, webhook, demo'],
    [{ brands: [brand], colour: 'blue' }, {}, 'colour', 'blue', 'should not exist'],
    [{ server: { port: 'eighty' } }, {}, 'server.port', 'eighty', 'integer'],
    [{ brands: [{ ...brand, approval: { mode: 'some' } }] }, {}, 'brands[0].approval.mode', 'some', 'one of the following values: none, all, first'],
    [{ brands: [{ ...brand, approval: { minSeverity: 'dire' } }] }, {}, 'brands[0].approval.minSeverity', 'dire', 'low, medium, high, critical'],
    [{ brands: [{ ...brand, approval: { words: ['refund', ' '] } }] }, {}, 'brands[0].approval.words', ['refund', ' '], 'not blanks'],
    [{ auth: { signIn: { maxFailuresPerAccount: 0 } } }, {}, 'auth.signIn.maxFailuresPerAccount', 0, 'must not be less than 1'],
    [{ auth: { secureCookies: 'yes' } }, {}, 'auth.secureCookies', 'yes', 'boolean'],
  ])('stops on %j naming the key, the value and what was expected', (file, env, key, value, expected) => {
    const error = configError(withFile(file, env as Record<string, string>));
    expect(error.key).toBe(key);
    expect(error.value).toEqual(value);
    expect(error.expected).toContain(expected);
    expect(error.message).toContain(key);
  });

  it('reads SLA milestones and business hours, with the defaults for what is left out', () => {
    const hours = { timeZone: 'Europe/Amsterdam', monday: ['09:00-12:00', '13:00-17:30'], saturday: ['10:00-14:00'], holidays: ['2026-12-25'] };
    const config = withFile({ brands: [{ ...brand, sla: { ackMinutes: 30, businessHours: hours } }], sources: [mastodon] }, { TOKEN: 'secret' })();
    expect(config.brand('acme').sla).toMatchObject({ ackMinutes: 30, firstResponseMinutes: 240, resolutionMinutes: 1440, businessHours: { ...hours, tuesday: [], sunday: [] } });
    expect(config.worker.slaSweepSeconds).toBe(30);
  });

  it('ends sessions after an idle hour or twelve hours, and throttles sign-in after 5 failures per account or 20 per address in 15 minutes', () => {
    const config = loadConfig({}, PROJECT_ROOT);
    expect(config.auth).toMatchObject({ sessionIdleMinutes: 60, sessionMaxMinutes: 720, secureCookies: false, signIn: { maxFailuresPerAccount: 5, maxFailuresPerIp: 20, windowMinutes: 15 } });
    expect(config.server.trustProxyHops).toBe(0);
  });

  it('names a config file that is not JSON', () => {
    const error = configError(withFile('{ brands: ['));
    expect(error.key).toBe('PARADOX_CONFIG');
    expect(error.expected).toContain('valid JSON');
  });

  it('names a bad PORT', () => {
    expect(configError(withFile({}, { PORT: 'abc' })).key).toBe('PORT');
  });

  it('never puts a secret in its error', () => {
    const error = configError(withFile({ brands: [brand], sources: [{ ...mastodon, pollSeconds: 0 }] }, { TOKEN: 'hunter2' }));
    expect(error.message).not.toContain('hunter2');
  });

  it("defaults to no approval, and reads a brand's approval policy", () => {
    expect(withFile({ brands: [brand] })().brand('acme').approval).toEqual({ mode: 'none', words: [], private: false });
    const approval = { mode: 'first', minSeverity: 'high', words: ['refund', 'legal action'], private: true };
    expect(withFile({ brands: [{ ...brand, approval }] })().brand('acme').approval).toEqual(approval);
  });

  it('still reads a template folder written before the five kinds, with {name} and followUp', () => {
    const dir = mkdtempSync(join(tmpdir(), 'paradox-templates-'));
    writeFileSync(join(dir, 'en.json'), JSON.stringify({ acknowledgement: 'Hi {name}, sorry! ({caseRef})', followUp: 'All good now, {name}?' }));
    writeFileSync(join(dir, 'nl.json'), JSON.stringify({ acknowledgement: 'Hoi {name}, sorry!', followUp: 'Alles goed, {name}?' }));
    const config = withFile({ templatesDir: dir })();
    expect(config.templates.en.acknowledgement).toBe('Hi {name}, sorry! ({caseRef})');
    expect(config.templates.en.follow_up).toBe('All good now, {name}?');
    // The kinds the folder leaves out come from the shipped files.
    expect(config.templates.nl.apology).toContain('{firstName}');
  });

  it('names a template with an unknown variable or an unknown kind', () => {
    const dir = mkdtempSync(join(tmpdir(), 'paradox-templates-'));
    writeFileSync(join(dir, 'nl.json'), JSON.stringify({ acknowledgement: 'Hoi!' }));
    writeFileSync(join(dir, 'en.json'), JSON.stringify({ apology: 'Sorry {voornaam}, order {order}' }));
    const unknown = configError(withFile({ templatesDir: dir }));
    expect(unknown.key).toBe('templates.en.apology');
    expect(unknown.expected).toContain('not {voornaam}, {order}');
    writeFileSync(join(dir, 'en.json'), JSON.stringify({ apologie: 'Sorry' }));
    expect(configError(withFile({ templatesDir: dir })).key).toBe('templates.en.apologie');
  });
});
