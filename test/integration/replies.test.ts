import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { DataSource } from 'typeorm';
import type { Caller } from '../../src/auth/caller.js';
import { RepliesService } from '../../src/replies/replies.service.js';
import { queue, workers } from '../support/flow.js';
import { MastodonImitation } from '../support/mastodon-imitation.js';
import { TestClock } from '../support/test-clock.js';
import { mastodonSource, startTestApp, type TestApp } from '../support/test-app.js';

const FIRST_NAMES = ['Fleur', 'Anna', 'Tom', 'Sanne', 'Joost', 'Noor', 'Daan', 'Lotte', 'Bram', 'Eva'];

describe('writing replies', () => {
  let mastodon: MastodonImitation;
  let t: TestApp;
  let clock: TestClock;
  let w: ReturnType<typeof workers>;
  let customers = 0;

  beforeAll(async () => {
    mastodon = await MastodonImitation.start();
    clock = new TestClock(new Date('2026-11-25T09:00:00Z'));
    t = await startTestApp(mastodonSource(mastodon.url), { clock, env: { T_MASTODON: mastodon.accessToken } });
    w = workers(t);
  });

  afterAll(async () => {
    await t?.close();
    await mastodon?.stop();
  });

  async function newCase(text = 'my order arrived broken and nobody answers my emails', language = 'en') {
    const firstName = FIRST_NAMES[customers];
    customers += 1;
    const customer = mastodon.addAccount(`customer${customers}`, { displayName: `${firstName} Mulder` });
    const status = mastodon.post(customer, `@acme ${text}`, { createdAt: clock.now(), language });
    await w.poll();
    const item = (await queue(t)).find((c) => c.post.externalId === status.id)!;
    return { caseId: item.id as string, reference: item.reference as string, status, firstName };
  }

  describe('kinds and holders', () => {
    it('writes a reply of any kind from the template, and the replying agent claims the free case', async () => {
      const { caseId, reference, firstName } = await newCase();
      const question = await t.as('agent').post(`/cases/${caseId}/replies`, { kind: 'question' });
      expect(question.status).toBe(201);
      expect(question.data).toMatchObject({ kind: 'question', status: 'queued', createdBy: 'alice' });
      expect(question.data.text).toMatch(new RegExp(`^Hi ${firstName}, .*alice \\(ref ${reference}\\)$`));
      expect((await t.as('agent').get(`/cases/${caseId}`)).data.claimedBy).toBe('alice');

      const resolution = await t.as('agent').post(`/cases/${caseId}/replies`, { kind: 'resolution', text: 'We sent a new one by express; it arrives tomorrow.' });
      expect(resolution.data).toMatchObject({ kind: 'resolution', text: 'We sent a new one by express; it arrives tomorrow.' });
      expect(await w.publish()).toBe(2);
      const written = (await t.as('manager').get('/audit', { params: { caseId, action: 'reply.written' } })).data.items;
      expect(written.map((e: { data: { kind: string; edited: boolean } }) => [e.data.kind, e.data.edited])).toEqual([['question', false], ['resolution', true]]);
      // The first public reply of any kind acknowledges the case.
      expect((await t.as('agent').get(`/cases/${caseId}`)).data.status).toBe('acknowledged');
    });

    it('lets only the holder or a manager of the brand reply, and writes nothing for anyone else', async () => {
      const { caseId } = await newCase();
      await t.as('agent').post(`/cases/${caseId}/claim`);
      const other = await t.as('agent2').post(`/cases/${caseId}/replies`, { kind: 'apology', text: 'Sorry from Bob' });
      expect(other.status).toBe(409);
      expect(other.data.code).toBe('CASE.NOT_HOLDER');
      expect((await t.as('agent2').post(`/cases/${caseId}/acknowledge`, {})).data.code).toBe('CASE.NOT_HOLDER');
      expect((await t.as('agent').get(`/cases/${caseId}/replies`)).data).toEqual([]);

      // A manager steps in without taking the case from its holder.
      const manager = await t.as('manager').post(`/cases/${caseId}/replies`, { kind: 'apology', text: 'Sorry, this is on us; Alice is fixing it now.' });
      expect(manager.status).toBe(201);
      expect((await t.as('agent').get(`/cases/${caseId}`)).data.claimedBy).toBe('alice');

      // A manager of another brand is no manager here.
      const replies = t.app.get(RepliesService);
      const elsewhere: Caller = { id: 'u-x', name: 'xavier', grants: [{ role: 'manager', brandId: 'globex' }, { role: 'agent', brandId: 'acme' }] };
      await expect(replies.write(caseId, elsewhere, 'question', 'Which order?')).rejects.toMatchObject({ code: 'CASE.NOT_HOLDER' });

      // Once the claim runs out, the next agent to reply holds the case.
      clock.advance(31 * 60_000);
      expect((await t.as('agent2').post(`/cases/${caseId}/replies`, { kind: 'question', text: 'Which order number is it?' })).status).toBe(201);
      expect((await t.as('agent').get(`/cases/${caseId}`)).data.claimedBy).toBe('bob');
    });

    it('keeps one acknowledgement per case, whichever route writes it', async () => {
      const { caseId } = await newCase();
      expect((await t.as('agent').post(`/cases/${caseId}/replies`, { kind: 'acknowledgement' })).status).toBe(201);
      expect((await t.as('agent').post(`/cases/${caseId}/acknowledge`, {})).data.code).toBe('CASE.ALREADY_ACKNOWLEDGED');
      expect((await t.as('agent').post(`/cases/${caseId}/replies`, { kind: 'acknowledgement', text: 'Sorry again' })).data.code).toBe('CASE.ALREADY_ACKNOWLEDGED');
    });

    it('answers a bad kind or a reply too long for the channel with a 400 and writes nothing', async () => {
      const { caseId } = await newCase();
      const kind = await t.as('agent').post(`/cases/${caseId}/replies`, { kind: 'thanks' });
      expect(kind.status).toBe(400);
      expect(kind.data.fields.map((f: { field: string }) => f.field)).toEqual(['kind']);
      const long = await t.as('agent').post(`/cases/${caseId}/replies`, { kind: 'resolution', text: 'Fixed. '.repeat(80) });
      expect(long.data).toMatchObject({ code: 'REPLY.TOO_LONG', field: 'text', max: 500 });
      expect((await t.as('agent').get(`/cases/${caseId}/replies`)).data).toEqual([]);
      expect((await t.as('agent').get(`/cases/${caseId}`)).data.claimedBy).toBeNull();
      const draft = await t.as('agent').get(`/cases/${caseId}/draft`, { params: { kind: 'compliment' } });
      expect(draft.data.fields[0].field).toBe('kind');
    });

    it("drafts in the case's language", async () => {
      const { caseId, firstName } = await newCase('mijn pakket is na drie weken nog steeds niet aangekomen en niemand reageert', 'nl');
      const draft = (await t.as('agent').get(`/cases/${caseId}/draft`, { params: { kind: 'follow_up' } })).data;
      expect(draft).toMatchObject({ kind: 'follow_up', language: 'nl', repeatFailure: false });
      expect(draft.text).toMatch(new RegExp(`^Hoi ${firstName}, alice hier`));
    });
  });

  describe('a customer failed before', () => {
    let caseId: string;

    beforeAll(async () => {
      ({ caseId } = await newCase('my order is broken AGAIN, second time this month'));
      // The customers part sets this when the customer failed before within the brand's window.
      await t.app.get(DataSource).query('UPDATE "case" SET repeat_failure = true WHERE id = $1', [caseId]);
    });

    it('gets no scripted apology in the draft, but an instruction', async () => {
      for (const kind of ['apology', 'acknowledgement']) {
        const draft = (await t.as('agent').get(`/cases/${caseId}/draft`, { params: { kind } })).data;
        expect(draft).toMatchObject({ kind, text: null, repeatFailure: true, instruction: expect.stringContaining('let down before') });
      }
      // Other kinds are drafted as usual, and say the case is a repeated failure.
      const question = (await t.as('agent').get(`/cases/${caseId}/draft`, { params: { kind: 'question' } })).data;
      expect(question).toMatchObject({ repeatFailure: true, instruction: null, text: expect.stringContaining('order number') });
    });

    it('refuses the apology and acknowledgement templates sent as they stand, and writes nothing', async () => {
      const scripted = async (kind: string, text?: string) => {
        const response = await t.as('agent').post(`/cases/${caseId}/replies`, { kind, ...(text === undefined ? {} : { text }) });
        expect({ kind, text, status: response.status, code: response.data.code }).toEqual({ kind, text, status: 409, code: 'REPLY.SCRIPTED_APOLOGY' });
        expect(response.data.message).toContain('let down before');
      };
      await scripted('apology');
      await scripted('acknowledgement');
      expect((await t.as('agent').post(`/cases/${caseId}/acknowledge`, {})).data.code).toBe('REPLY.SCRIPTED_APOLOGY');

      // The same text typed or pasted in, with other spacing, or sent under another kind.
      const { items } = (await t.as('agent').get('/templates', { params: { brand: 'acme' } })).data;
      const template = items.find((i: Record<string, string>) => i.kind === 'apology' && i.language === 'en').text as string;
      const { reference } = (await t.as('agent').get(`/cases/${caseId}`)).data;
      const customer = (await t.as('agent').get(`/cases/${caseId}`)).data.customer.displayName.split(' ')[0];
      const rendered = template.replace('{firstName}', customer).replace('{agentName}', 'alice').replace('{caseRef}', reference);
      await scripted('apology', rendered);
      await scripted('question', `  ${rendered.replace(/ /g, '  ')}\n`);
      expect((await t.as('agent').get(`/cases/${caseId}/replies`)).data).toEqual([]);
    });

    it("takes an apology in the agent's own words", async () => {
      const own = 'Anna, this is the second time we let you down, and that is on us. I have checked the order myself and a new one leaves today by courier.';
      const response = await t.as('agent').post(`/cases/${caseId}/replies`, { kind: 'apology', text: own });
      expect(response.status).toBe(201);
      expect(response.data).toMatchObject({ kind: 'apology', text: own, status: 'queued' });
    });
  });
});
