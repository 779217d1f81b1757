import { describe, expect, it } from '@jest/globals';
import { AnalysisModels } from './analysis-models.js';
import { type AnalysisInput, AnalysisService } from './analysis.service.js';

const models = AnalysisModels.fromFile();
const service = new AnalysisService(models);
const analyse = (text: string, extra: Partial<AnalysisInput> = {}) => service.analyse({ text, ...extra });

describe('AnalysisService', () => {
  describe('reading answers to "is everything resolved?"', () => {
    it.each([
      ['Yes, all sorted now, thanks a lot!', 'en'],
      ['yes it works again, thank you', 'en'],
      ['Ja, alles is opgelost, dank je wel!', 'nl'],
      ['Ja hoor, het werkt weer, top!', 'nl'],
    ])('reads %p as a positive answer that is no complaint', (text, language) => {
      const result = analyse(text);
      expect(result.language).toBe(language);
      expect(result.sentiment.label).toBe('positive');
      expect(result.complaint.label).toBe(false);
    });

    it.each([
      ['No, still not working.', 'en'],
      ['Nope, I am still waiting for my refund', 'en'],
      ['Nee, nog steeds niets ontvangen.', 'nl'],
      ['Nee, het is nog steeds kapot', 'nl'],
    ])('reads %p as a negative answer that is still a complaint', (text, language) => {
      const result = analyse(text);
      expect(result.language).toBe(language);
      expect(result.complaint.label).toBe(true);
      expect(result.sentiment.label).toBe('negative');
    });
  });

  describe('deciding whether a post is a complaint', () => {
    it('calls an undelivered Dutch parcel a complaint and names the cues', () => {
      const result = analyse('@acme mijn pakket is nog steeds niet geleverd, al 3 weken wachten', {
        brandHandles: ['@acme'],
      });
      expect(result).toMatchObject({ language: 'nl', complaint: { label: true }, topic: 'delivery', intent: 'complaint', modelVersion: models.starter.version });
      expect(result.complaint.why).toContain('cue: nog steeds niet');
    });

    it('calls a double charge nobody answers a complaint', () => {
      const result = analyse('@acme you charged me twice for my order and nobody answers', { brandHandles: ['@acme'] });
      expect(result.language).toBe('en');
      expect(result.complaint.label).toBe(true);
      expect(result.complaint.probability).toBeGreaterThan(0.9);
    });

    it('calls thanks to the brand praise, not a complaint', () => {
      const result = analyse('@acme thanks for the quick help!', { brandHandles: ['@acme'] });
      expect(result.sentiment.label).toBe('positive');
      expect(result.complaint.label).toBe(false);
      expect(result.intent).toBe('praise');
      expect(result.complaint.why.join(' ')).toMatch(/thanks|help|positive/);
    });

    it('calls bad weather negative but no complaint', () => {
      const result = analyse('slecht weer vandaag');
      expect(result.sentiment.label).toBe('negative');
      expect(result.complaint.label).toBe(false);
      expect(result.complaint.probability).toBeLessThan(0.5);
    });

    it('does not call a plain question to the brand a complaint', () => {
      const result = analyse('@acme can I return online purchases in a store?', { brandHandles: ['@acme'] });
      expect(result.complaint.label).toBe(false);
    });

    it('calls a question that carries a failure a complaint', () => {
      const result = analyse('@acme why has my order still not arrived?', { brandHandles: ['@acme'] });
      expect(result.complaint.label).toBe(true);
    });

    it('counts the brand as addressed whatever the case or instance of the handle', () => {
      const addressed = analyse('@ACME@mastodon.social where is my parcel', { brandHandles: ['@acme'] });
      const elsewhere = analyse('@someone where is my parcel', { brandHandles: ['@acme'] });
      expect(addressed.complaint.why).toContain('addressed to brand');
      expect(addressed.complaint.probability).toBeGreaterThan(elsewhere.complaint.probability);
    });

    it('takes the caller’s language over detection', () => {
      expect(analyse('you charged me twice', { lang: 'nl-NL' }).language).toBe('nl');
      expect(analyse('you charged me twice', { lang: 'und' }).language).toBe('en');
    });
  });

  describe('bad input', () => {
    const neutralNoComplaint = { sentiment: { label: 'neutral', score: 0 }, complaint: { label: false } };

    it('analyses empty text as neutral, other language, no complaint', () => {
      expect(analyse('')).toMatchObject({ language: 'other', ...neutralNoComplaint });
    });

    it('reads a post of only emoji by the emoji', () => {
      const result = analyse('😡😡😡');
      expect(result.language).toBe('other');
      expect(result.sentiment.label).toBe('negative');
      expect(result.complaint.label).toBe(false);
    });

    it('analyses a post of only links as neutral', () => {
      const result = analyse('https://t.co/abc https://acme.nl/x?y=1');
      expect(result).toMatchObject({ language: 'other', ...neutralNoComplaint });
    });

    it('analyses a 10,000-character post', () => {
      const result = analyse('the service is terrible and my parcel is still missing. '.repeat(200).slice(0, 10_000));
      expect(result.complaint.label).toBe(true);
      expect(result.sentiment.score).toBeGreaterThanOrEqual(-1);
    });

    it('survives lone surrogates', () => {
      expect(analyse('\uD800')).toMatchObject({ language: 'other', ...neutralNoComplaint });
      expect(analyse('still waiting \uDC00 for my refund \uD800').complaint.label).toBe(true);
    });

    it('reads a post that mixes Dutch and English', () => {
      const result = analyse('@acme my order is nog steeds niet geleverd, really annoying', {
        brandHandles: ['@acme'],
      });
      expect(['nl', 'en']).toContain(result.language);
      expect(result.complaint.label).toBe(true);
    });

    it('calls a post in another language other and leaves it neutral', () => {
      const result = analyse('Das Paket ist immer noch nicht angekommen, sehr ärgerlich');
      expect(result.language).toBe('other');
      expect(result.sentiment.label).toBe('neutral');
    });

    it('does not throw on input that breaks the types', () => {
      const broken = [null, undefined, {}, { text: 42 }, { text: null, lang: 7, brandHandles: 'acme' }];
      for (const input of broken) {
        const result = service.analyse(input as unknown as AnalysisInput);
        expect(result).toMatchObject({ language: 'other', ...neutralNoComplaint, modelVersion: models.starter.version });
      }
    });
  });

  describe('analyseMany', () => {
    it('answers each post in order', () => {
      const results = service.analyseMany([{ text: 'Nee, het is nog steeds kapot' }, { text: '' }]);
      expect(results.map((result) => result.complaint.label)).toEqual([true, false]);
    });

    it('answers nothing for nothing', () => {
      expect(service.analyseMany([])).toEqual([]);
      expect(service.analyseMany(null as unknown as AnalysisInput[])).toEqual([]);
    });
  });
});
