import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { DataSource } from 'typeorm';
import type { Caller } from '../../src/auth/caller.js';
import { ReplyTemplatesService } from '../../src/replies/reply-templates.service.js';
import { queue, workers } from '../support/flow.js';
import { MastodonImitation } from '../support/mastodon-imitation.js';
import { PROJECT_ROOT } from '../support/paths.js';
import { TestClock } from '../support/test-clock.js';
import { mastodonSource, startTestApp, type TestApp } from '../support/test-app.js';

const shipped = (language: string) => JSON.parse(readFileSync(join(PROJECT_ROOT, `config/templates/${language}.json`), 'utf8')) as Record<string, string>;

describe('reply templates', () => {
  let mastodon: MastodonImitation;
  let t: TestApp;
  let clock: TestClock;

  beforeAll(async () => {
    mastodon = await MastodonImitation.start();
    clock = new TestClock(new Date('2026-11-24T09:00:00Z'));
    const file = mastodonSource(mastodon.url);
    t = await startTestApp({ ...file, brands: [...file.brands, { id: 'globex', name: 'Globex', defaultLanguage: 'nl' }] }, { clock, env: { T_MASTODON: mastodon.accessToken } });
  });

  afterAll(async () => {
    await t?.close();
    await mastodon?.stop();
  });

  it('seeds every brand with the five kinds in English and Dutch from the template files', async () => {
    const response = await t.as('agent').get('/templates', { params: { brand: 'acme' } });
    expect(response.status).toBe(200);
    expect(response.data.variables).toEqual(['firstName', 'name', 'caseRef', 'agentName', 'brand']);
    expect(response.data.items.map((i: Record<string, string>) => `${i.kind}/${i.language}`)).toEqual([
      'acknowledgement/en', 'acknowledgement/nl', 'apology/en', 'apology/nl', 'question/en', 'question/nl', 'resolution/en', 'resolution/nl', 'follow_up/en', 'follow_up/nl',
    ]);
    const apology = response.data.items.find((i: Record<string, string>) => i.kind === 'apology' && i.language === 'nl');
    expect(apology).toMatchObject({ brandId: 'acme', text: shipped('nl').apology, updatedBy: 'paradox' });
    const all = await t.as('approver').get('/templates');
    expect(all.data.items).toHaveLength(20);
    expect(new Set(all.data.items.map((i: { brandId: string }) => i.brandId))).toEqual(new Set(['acme', 'globex']));
  });

  it('lets a manager rewrite a template, records the text before and after, and drafts from the new text', async () => {
    const text = 'Hi {firstName}, that should never have happened. {agentName} of {brand} here: I am on it. ({caseRef})';
    const put = await t.as('manager').put('/templates/acme/apology/en', { text });
    expect(put.status).toBe(200);
    expect(put.data).toMatchObject({ brandId: 'acme', kind: 'apology', language: 'en', text, updatedBy: 'maria', updatedAt: clock.now().toISOString() });

    const [entry] = (await t.as('manager').get('/audit', { params: { action: 'settings.changed' } })).data.items;
    expect(entry).toMatchObject({
      actor: 'maria',
      brandId: 'acme',
      subject: 'template:acme/apology/en',
      data: { setting: 'reply_template', kind: 'apology', language: 'en', before: shipped('en').apology, after: text },
    });

    const anna = mastodon.addAccount('anna', { displayName: 'Anna de Vries' });
    mastodon.post(anna, '@acme my parcel never arrived and nobody answers my emails', { createdAt: clock.now() });
    await workers(t).poll();
    const [c] = await queue(t);
    const draft = await t.as('agent').get(`/cases/${c.id}/draft`, { params: { kind: 'apology' } });
    expect(draft.data).toEqual({
      kind: 'apology',
      language: 'en',
      text: `Hi Anna, that should never have happened. alice of Acme here: I am on it. (${c.reference})`,
      repeatFailure: false,
      instruction: null,
    });
    // Each agent signs their own draft.
    expect((await t.as('manager').get(`/cases/${c.id}/draft`, { params: { kind: 'apology' } })).data.text).toContain('maria of Acme');

    // A restart seeds only what is missing: the edit stays.
    expect(await t.app.get(ReplyTemplatesService).seed()).toBe(0);
    const [row] = await t.app.get(DataSource).query(`SELECT text FROM reply_template WHERE brand_id = 'acme' AND kind = 'apology' AND language = 'en'`);
    expect(row.text).toBe(text);
  });

  it('refuses a template with unknown variables, naming them, and changes nothing', async () => {
    const before = (await t.as('manager').get('/audit', { params: { action: 'settings.changed' } })).data.total;
    const put = await t.as('manager').put('/templates/acme/question/nl', { text: 'Hoi {voornaam}, wat is je {bestelnummer}? {caseRef}' });
    expect(put.status).toBe(400);
    expect(put.data).toMatchObject({ code: 'TEMPLATE.UNKNOWN_VARIABLE', field: 'text', variables: ['voornaam', 'bestelnummer'] });
    expect(put.data.message).toContain('{voornaam}, {bestelnummer}');
    const [row] = await t.app.get(DataSource).query(`SELECT text FROM reply_template WHERE brand_id = 'acme' AND kind = 'question' AND language = 'nl'`);
    expect(row.text).toBe(shipped('nl').question);
    expect((await t.as('manager').get('/audit', { params: { action: 'settings.changed' } })).data.total).toBe(before);
  });

  it('answers a bad kind, language or text with a 400 naming the field, and an unknown brand with a 404', async () => {
    const kind = await t.as('manager').put('/templates/acme/thanks/en', { text: 'Thanks!' });
    expect(kind.data.fields.map((f: { field: string }) => f.field)).toEqual(['kind']);
    const language = await t.as('manager').put('/templates/acme/apology/de', { text: 'Entschuldigung' });
    expect(language.data.fields.map((f: { field: string }) => f.field)).toEqual(['language']);
    const blank = await t.as('manager').put('/templates/acme/apology/en', { text: '  ' });
    expect(blank.data.fields.map((f: { field: string }) => f.field)).toEqual(['text']);
    const unknown = await t.as('manager').put('/templates/initech/apology/en', { text: 'Sorry' });
    expect(unknown.status).toBe(404);
    expect(unknown.data.code).toBe('BRAND.NOT_FOUND');
    expect((await t.as('agent').get('/templates', { params: { brand: 'initech' } })).status).toBe(404);
  });

  it('lets only managers of the brand edit its templates', async () => {
    expect((await t.as('agent').put('/templates/acme/apology/en', { text: 'Sorry {firstName}' })).status).toBe(403);
    expect((await t.as('approver').put('/templates/acme/apology/en', { text: 'Sorry {firstName}' })).status).toBe(403);
    const templates = t.app.get(ReplyTemplatesService);
    const globexManager: Caller = { id: 'u-g', name: 'gina', grants: [{ role: 'manager', brandId: 'globex' }] };
    await expect(templates.update(globexManager, 'acme', 'apology', 'en', 'Sorry')).rejects.toMatchObject({ code: 'AUTH.BRAND' });
    await expect(templates.update(globexManager, 'globex', 'apology', 'nl', 'Sorry {firstName}, dat had niet mogen gebeuren.')).resolves.toMatchObject({ updatedBy: 'gina' });
    // And they read only their own brand's.
    expect((await templates.list(globexManager)).items.every((i) => i.brandId === 'globex')).toBe(true);
  });
});
