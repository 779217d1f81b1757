import { describe, expect, it } from '@jest/globals';
import { htmlToText } from './html-text.js';

describe('htmlToText', () => {
  it('drops mention markup and keeps the words', () => {
    const html = '<p><span class="h-card"><a href="https://x/@acme" class="u-url mention">@<span>acme</span></a></span> still waiting</p>';
    expect(htmlToText(html)).toBe('@acme still waiting');
  });

  it('decodes entities without turning them back into markup', () => {
    expect(htmlToText('<p>&lt;script&gt;alert(1)&lt;/script&gt; &amp; &#39;hi&#39; &#x1F600;</p>')).toBe("<script>alert(1)</script> & 'hi' 😀");
  });

  it('keeps paragraphs and line breaks apart', () => {
    expect(htmlToText('<p>one<br>two</p><p>three</p>')).toBe('one\ntwo\n\nthree');
  });
});
