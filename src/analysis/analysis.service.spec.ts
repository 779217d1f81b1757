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

describe('AnalysisService: topic, severity, abuse and intent', () => {
  it.each([
    ['@acme my parcel still has not been delivered', 'delivery'],
    ['@acme you charged me twice, I want a refund', 'refund_billing'],
    ['@acme the app keeps crashing, is there an outage?', 'outage_technical'],
    ['@acme your customer service agent was rude and hung up on me', 'service_staff'],
    ['@acme the blender I bought is broken after a week, poor quality', 'product_quality'],
    ['@acme trein naar Utrecht alweer vertraagd en uitgevallen', 'travel_disruption'],
    ['@acme why is everything so expensive now, another price increase', 'pricing'],
    ['@acme hallo', 'other'],
  ])('files %p under %s', (text, topic) => {
    expect(analyse(text, { brandHandles: ['@acme'] }).topic).toBe(topic);
  });

  it.each([
    ['@acme the charger caught fire and my son ended up in hospital', 'critical', 'health or safety'],
    ['@acme still no refund after six weeks, I will take this to my lawyer and the ombudsman', 'high', 'legal or regulator threat'],
    ['@acme jullie hebben dubbel afgeschreven en ik ben mijn geld kwijt', 'high', 'money lost'],
    ['@acme voor de derde keer een kapot pakket, ik ga opzeggen', 'high', 'repeated failure'],
    ['@acme my order is late', 'low', null],
  ])('rates %p %s', (text, severity, reason) => {
    const result = analyse(text, { brandHandles: ['@acme'] });
    expect(result.complaint.label).toBe(true);
    expect(result.severity).toBe(severity);
    if (reason) expect(result.severityWhy).toContain(reason);
  });

  it('keeps the severity of a post that is no complaint low', () => {
    expect(analyse('this new song is fire, love it').severity).toBe('low');
  });

  it('flags insults and profanity in both languages, and an abusive complaint stays a complaint', () => {
    const english = analyse('@acme you useless idiots, where the fuck is my refund', { brandHandles: ['@acme'] });
    expect(english).toMatchObject({ abusive: true, complaint: { label: true } });
    expect(analyse('@acme stelletje prutsers, waar blijft mijn pakket', { brandHandles: ['@acme'] }).abusive).toBe(true);
    expect(analyse('@acme thanks for the quick help').abusive).toBe(false);
  });

  it('tells a complaint, a question, praise and anything else apart', () => {
    expect(analyse('@acme still no refund after three weeks', { brandHandles: ['@acme'] }).intent).toBe('complaint');
    expect(analyse('@acme do you ship to Belgium?', { brandHandles: ['@acme'] }).intent).toBe('question');
    expect(analyse('@acme wat een geweldige service, dank jullie wel!', { brandHandles: ['@acme'] }).intent).toBe('praise');
    expect(analyse('going to the shop later').intent).toBe('other');
  });

  it('reads sarcastic praise around a failure as negative', () => {
    const result = analyse('top service weer 🙄');
    expect(result.sentiment.label).toBe('negative');
  });

  it('stretches, capitals and intensifiers make it stronger, not different', () => {
    const plain = analyse('@acme this is bad', { brandHandles: ['@acme'] }).sentiment.score;
    const loud = analyse('@acme this is SOOOO BAD', { brandHandles: ['@acme'] }).sentiment.score;
    expect(loud).toBeLessThanOrEqual(plain);
    expect(loud).toBeLessThan(0);
  });

  it('scopes a negation to the words it governs', () => {
    expect(analyse('not bad at all, the delivery was fast and the staff were lovely').sentiment.label).toBe('positive');
  });
});
