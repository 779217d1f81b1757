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

  it('drops scripts, styles and comments with their contents', () => {
    expect(htmlToText('<style>p{color:red}</style><p>late <!-- <b>hidden</b> -->again</p><script>steal()</script>')).toBe('late again');
  });

  it('collapses the whitespace of the source as a browser shows it', () => {
    expect(htmlToText('\n  <div>\n   my order\n\n   never   came</div>\n  <div>refund&nbsp;please</div>  ')).toBe('my order never came\n\nrefund please');
  });

  it('keeps a "<" that starts no tag, and attributes that hold ">"', () => {
    expect(htmlToText('I <3 Acme but 2 < 3 <a title="a>b" href="x">here</a>')).toBe('I <3 Acme but 2 < 3 here');
  });

  it('decodes typographic entities and refuses NUL and surrogates', () => {
    expect(htmlToText('Acme&rsquo;s &ldquo;fix&rdquo; &hellip; &Eacute;&#0;&#xD800;')).toBe('Acme’s “fix” … &Eacute;\uFFFD\uFFFD');
  });
});
