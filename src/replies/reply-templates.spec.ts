import { describe, expect, it } from '@jest/globals';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { packageRoot } from '../common/package-root.js';
import { TEMPLATE_KINDS } from '../config/config.schema.js';
import { greetingName, isUnedited, renderTemplate, unknownVariables } from './reply-templates.js';

const values = { firstName: 'Anna', caseRef: 'C-7', agentName: 'Sam', brand: 'Acme' };

describe('reply templates', () => {
  it("fills in the customer's first name, the case reference, the agent and the brand", () => {
    expect(renderTemplate('Hi {firstName}, {agentName} of {brand} is on it ({caseRef})', values)).toBe('Hi Anna, Sam of Acme is on it (C-7)');
  });

  it('still reads {name} as the first name, for template files written before {firstName}', () => {
    expect(renderTemplate('Hoi {name}, sorry!', values)).toBe('Hoi Anna, sorry!');
  });

  it('fills in a variable as often as it appears and leaves other braces as written', () => {
    expect(renderTemplate('{firstName} {firstName} {other} {} {1x}', values)).toBe('Anna Anna {other} {} {1x}');
  });

  it('never reads the filled-in values as variables again', () => {
    expect(renderTemplate('Hi {firstName}', { ...values, firstName: '{caseRef}' })).toBe('Hi {caseRef}');
  });

  it('names the unknown variables a template uses, each once', () => {
    expect(unknownVariables('Hi {firstName} {voornaam}, {order} {voornaam} ({caseRef})')).toEqual(['voornaam', 'order']);
    expect(unknownVariables('Hi {name}, {agentName} of {brand} here')).toEqual([]);
  });

  it('greets by first name, and by handle when there is no name', () => {
    expect(greetingName('Fleur Mulder 🌷', '@fleur')).toBe('Fleur');
    expect(greetingName(null, '@tom.baker')).toBe('tom.baker');
    expect(greetingName('🌷', '@x')).toBe('x');
  });

  it('knows a scripted text sent as it is, whatever the spacing, and an edited one', () => {
    const script = 'Hi Anna, we are sorry. (ref C-7)';
    expect(isUnedited('  Hi Anna,  we are sorry.\n(ref C-7) ', [script])).toBe(true);
    expect(isUnedited('Hi Anna, we are sorry, again. (ref C-7)', [script])).toBe(false);
  });

  it('ships every kind in English and Dutch, with known variables only and short enough for X', () => {
    for (const language of ['en', 'nl']) {
      const file = JSON.parse(readFileSync(join(packageRoot(import.meta.url), `config/templates/${language}.json`), 'utf8')) as Record<string, string>;
      expect(Object.keys(file).sort()).toEqual([...TEMPLATE_KINDS].sort());
      for (const text of Object.values(file)) {
        expect(unknownVariables(text)).toEqual([]);
        // A long name, a long handle in front and still within X's 280.
        expect([...`@a_fifteen_chars ${renderTemplate(text, { firstName: 'Maximiliaan', caseRef: 'C-123456', agentName: 'Alexandra', brand: 'Acme' })}`].length).toBeLessThanOrEqual(280);
      }
    }
  });
});
