import { describe, expect, it } from '@jest/globals';
import { greetingName, renderTemplate, templatesFor } from './reply-templates.js';

describe('reply templates', () => {
  it('fills in the customer name, case reference and brand', () => {
    expect(renderTemplate('Hi {name}, {brand} is on it ({caseRef}) {other}', { name: 'Anna', caseRef: 'C-7', brand: 'Acme' })).toBe(
      'Hi Anna, Acme is on it (C-7) {other}',
    );
  });

  it('greets by first name, and by handle when there is no name', () => {
    expect(greetingName('Fleur Mulder 🌷', '@fleur')).toBe('Fleur');
    expect(greetingName(null, '@tom.baker')).toBe('tom.baker');
    expect(greetingName('🌷', '@x')).toBe('x');
  });

  it("falls back to the brand's language for a language without templates", () => {
    const all = { en: { acknowledgement: 'en', followUp: 'en' }, nl: { acknowledgement: 'nl', followUp: 'nl' } };
    expect(templatesFor(all, 'nl', 'en').acknowledgement).toBe('nl');
    expect(templatesFor(all, 'de', 'nl').acknowledgement).toBe('nl');
  });
});
