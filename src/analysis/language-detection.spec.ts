import { describe, expect, it } from '@jest/globals';
import { detectLanguage, languageFromHint } from './language-detection.js';

describe('languageFromHint', () => {
  it.each([
    ['nl', 'nl'],
    ['nl-NL', 'nl'],
    ['EN_gb', 'en'],
    ['eng', 'en'],
    ['de', null],
    ['und', null],
    ['', null],
    [null, null],
    [undefined, null],
  ])('reads %p as %p', (hint, expected) => {
    expect(languageFromHint(hint)).toBe(expected);
  });
});

describe('detectLanguage', () => {
  it('tells short Dutch and English posts apart', () => {
    expect(detectLanguage('mijn pakket is nog steeds niet geleverd')).toBe('nl');
    expect(detectLanguage('you charged me twice for my order')).toBe('en');
  });

  it('lets a Dutch or English hint win over detection', () => {
    expect(detectLanguage('you charged me twice for my order', 'nl-NL')).toBe('nl');
  });

  it('detects when the hint names another language', () => {
    expect(detectLanguage('mijn pakket is nog steeds niet geleverd', 'de')).toBe('nl');
  });

  it.each([
    'Das Paket ist immer noch nicht angekommen',
    'Ich warte seit zwei Wochen auf eine Antwort vom Kundenservice',
    "Je n'ai toujours pas reçu ma commande, c'est inadmissible",
    'On me dit que le colis est en route depuis une semaine',
    'Mi pedido todavía no ha llegado y nadie me responde',
    'Il mio ordine non è ancora arrivato, sono molto deluso',
    'A minha encomenda ainda não chegou e ninguém responde',
    'Jeg har ventet på min pakke i to uger nu',
    'Min beställning har inte kommit fram än',
    'Moja paczka nadal nie dotarła, to jest skandal',
    'Vado a casa con i miei amici',
    'Das ist super, aber zu spät',
  ])('calls %p other: a language other than Dutch and English', (text) => {
    expect(detectLanguage(text.toLowerCase())).toBe('other');
  });

  it('decides by function words when a post has enough of them, and by eld when not', () => {
    expect(detectLanguage('looking for a new phone for my mum')).toBe('en');
    expect(detectLanguage('de bediening was vriendelijk en het eten lekker')).toBe('nl');
    expect(detectLanguage('horrible customer service')).toBe('en');
    expect(detectLanguage('waardeloos')).toBe('nl');
  });

  it('calls empty text other', () => {
    expect(detectLanguage('')).toBe('other');
  });
});
