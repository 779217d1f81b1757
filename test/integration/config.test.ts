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
    expect(config.templates.nl.acknowledgement).toContain('{name}');
  });

  it('reads a Bluesky source with its app password from the variable it names', () => {
    const config = withFile({ brands: [brand], sources: [bluesky] }, { BSKY: 'app-password' })();
    expect(config.sources[0]).toMatchObject({ type: 'bluesky', accessToken: 'app-password', bluesky: { keywords: [], pageSize: 50 } });
  });

  it('reads an X source with its access token, refresh token and client id from the variables it names', () => {
    const config = withFile({ brands: [brand], sources: [x] }, { X_TOKEN: 'access', X_REFRESH: 'refresh', X_CLIENT: 'client' })();
    expect(config.sources[0]).toMatchObject({ type: 'x', accessToken: 'access', secrets: { accessToken: 'access', refreshToken: 'refresh', clientId: 'client' } });
    expect(config.sources[0].x).toMatchObject({ baseUrl: 'https://api.x.com', keywords: [], pageSize: 100 });
  });

  it('defaults the acknowledgement SLA to 60 minutes and the follow-up to three days', () => {
    const config = withFile({ brands: [brand], sources: [mastodon] }, { TOKEN: 'secret' })();
    expect(config.brand('acme').sla.ackMinutes).toBe(60);
    expect(config.brand('acme').followUp.delayMinutes).toBe(3 * 24 * 60);
    expect(config.sources[0].accessToken).toBe('secret');
  });

  it.each([
    [{ brands: [{ ...brand, sla: { ackMinutes: -5 } }] }, {}, 'brands[0].sla.ackMinutes', -5, 'ackMinutes must not be less than 1'],
    [{ brands: [brand], sources: [{ ...mastodon, brand: 'other' }] }, { TOKEN: 'x' }, 'sources[0].brand', 'other', 'one of the configured brands (acme)'],
    [{ brands: [brand], sources: [mastodon] }, {}, 'sources[0].mastodon.accessTokenEnv', 'TOKEN', 'an environment variable that is set'],
    [{ brands: [brand], sources: [bluesky] }, {}, 'sources[0].bluesky.appPasswordEnv', 'BSKY', 'an environment variable that is set'],
    [{ brands: [brand], sources: [{ ...bluesky, bluesky: undefined }] }, { BSKY: 'x' }, 'sources[0].bluesky', undefined, 'a bluesky block'],
    [{ brands: [brand], sources: [{ ...bluesky, bluesky: { ...bluesky.bluesky, pageSize: 500 } }] }, { BSKY: 'x' }, 'sources[0].bluesky.pageSize', 500, 'must not be greater than 100'],
    [{ brands: [brand], sources: [{ ...mastodon, mastodon: { ...mastodon.mastodon, baseUrl: 'not a url' } }] }, { TOKEN: 'x' }, 'sources[0].mastodon.baseUrl', 'not a url', 'URL'],
    [{ brands: [brand], sources: [{ ...x, x: { ...x.x, clientIdEnv: undefined } }] }, { X_TOKEN: 'a', X_REFRESH: 'r' }, 'sources[0].x.clientIdEnv', undefined, 'an environment variable name'],
    [{ brands: [brand], sources: [{ ...mastodon, type: 'myspace' }] }, {}, 'sources[0].type', 'myspace', 'one of the following values: mastodon, bluesky, x, reddit, rss, webhook, demo'],
    [{ brands: [brand], colour: 'blue' }, {}, 'colour', 'blue', 'should not exist'],
    [{ server: { port: 'eighty' } }, {}, 'server.port', 'eighty', 'integer'],
    [{ auth: { signIn: { maxFailuresPerAccount: 0 } } }, {}, 'auth.signIn.maxFailuresPerAccount', 0, 'must not be less than 1'],
    [{ auth: { secureCookies: 'yes' } }, {}, 'auth.secureCookies', 'yes', 'boolean'],
  ])('stops on %j naming the key, the value and what was expected', (file, env, key, value, expected) => {
    const error = configError(withFile(file, env as Record<string, string>));
    expect(error.key).toBe(key);
    expect(error.value).toEqual(value);
    expect(error.expected).toContain(expected);
    expect(error.message).toContain(key);
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
});
