import { describe, expect, it } from '@jest/globals';
import { decodeXText, xTextLength } from './x-text.js';

describe('decodeXText', () => {
  it('undoes the three escapes X applies and keeps everything else as typed', () => {
    expect(decodeXText('&lt;script&gt;alert(1)&lt;/script&gt; &amp; &quot;hi&quot; &#39;')).toBe('<script>alert(1)</script> & &quot;hi&quot; &#39;');
  });

  it('decodes once: an escaped escape stays an escape', () => {
    expect(decodeXText('&amp;lt;b&amp;gt;')).toBe('&lt;b&gt;');
  });
});

describe('xTextLength', () => {
  it('counts Latin text one per character', () => {
    expect(xTextLength('Hi Anna, sorry!')).toBe(15);
  });

  it('counts CJK and emoji double, as X does', () => {
    expect(xTextLength('荷物が届かない')).toBe(14);
    expect(xTextLength('ok 😀')).toBe(5);
  });

  it('counts a link as 23 whatever its length', () => {
    expect(xTextLength('see https://acme.example/orders/123456789/tracking?ref=x')).toBe(4 + 23);
    expect(xTextLength('see http://a.io')).toBe(4 + 23);
  });

  it('counts a link without a scheme as at least 23, erring long', () => {
    expect(xTextLength('see acme.nl')).toBe(4 + 23);
  });

  it('measures a reply of 280 characters of Latin text as exactly 280', () => {
    expect(xTextLength('a'.repeat(280))).toBe(280);
  });
});
