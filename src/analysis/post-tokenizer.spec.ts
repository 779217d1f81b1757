import { describe, expect, it } from '@jest/globals';
import { BOUNDARY, MAX_POST_CHARS, tokenizePost } from './post-tokenizer.js';

describe('tokenizePost', () => {
  it('drops links and keeps handles out of the words', () => {
    const post = tokenizePost('@Acme my order https://t.co/abc www.acme.nl/x is late');
    expect(post.tokens).toEqual(['my', 'order', 'is', 'late']);
    expect(post.mentions).toEqual(['acme']);
    expect(post.plainText).toBe('my order is late');
  });

  it('reads a Mastodon handle together with its instance', () => {
    expect(tokenizePost('hey @acme@mastodon.social.').mentions).toEqual(['acme@mastodon.social']);
  });

  it('does not take an e-mail address for a handle', () => {
    expect(tokenizePost('mail info@acme.nl please').mentions).toEqual([]);
  });

  it('marks punctuation as one boundary and notices a question mark', () => {
    const post = tokenizePost('No, still not working?!');
    expect(post.tokens).toEqual(['no', BOUNDARY, 'still', 'not', 'working', BOUNDARY]);
    expect(post.hasQuestionMark).toBe(true);
  });

  it('keeps contractions, hashtags, emoji and emoticons as tokens', () => {
    expect(tokenizePost("I don’t like it #badservice 😡 :(").tokens).toEqual([
      'i', "don't", 'like', 'it', 'badservice', '😡', ':(',
    ]);
  });

  it('skips lone surrogates instead of failing on them', () => {
    expect(tokenizePost('ok \uD800 fine \uDC00').tokens).toEqual(['ok', 'fine']);
  });

  it('reads no further than MAX_POST_CHARS', () => {
    const post = tokenizePost('word '.repeat(MAX_POST_CHARS));
    expect(post.wordCount).toBe(MAX_POST_CHARS / 5);
  });

  it('reads emoticons whose mouth is a letter only when no word follows', () => {
    expect(tokenizePost('top :D maar :dom').tokens).toEqual(['top', ':d', 'maar', BOUNDARY, 'dom']);
    expect(tokenizePost('<3 ;-) =/').tokens).toEqual(['<3', ';-)', '=/']);
  });

  it('keeps apostrophes inside words but not before digits', () => {
    expect(tokenizePost("rock'n'roll in the 90's, it's2late").tokens).toEqual([
      "rock'n'roll", 'in', 'the', "90's", BOUNDARY, "it's", '2late',
    ]);
  });

  it('counts stretched words and reads them with two letters', () => {
    const post = tokenizePost('sooooo slowww, 2000 euro');
    expect(post.tokens).toEqual(['soo', 'sloww', BOUNDARY, '2000', 'euro']);
    expect(post.elongated).toBe(2);
  });

  it('counts words in capitals, not capitals inside a word, handle or hashtag', () => {
    expect(tokenizePost('NEVER AGAIN, said @ACME about #FAIL and UPSet').shouted).toBe(2);
  });

  it('counts one exclamation per run of punctuation', () => {
    expect(tokenizePost('no!!! really?! ok.').exclamations).toBe(2);
  });

  it('reads letters and emoji outside the Basic Multilingual Plane', () => {
    expect(tokenizePost('𝐀𝐁𝐂 ok 😡😡').tokens).toEqual(['𝐀𝐁𝐂', 'ok', '😡', '😡']);
  });

  it('needs something after http:// to call it a link', () => {
    const post = tokenizePost('see http:// and https://acme.nl/x');
    expect(post.links).toBe(1);
    expect(post.tokens).toEqual(['see', 'http', ':/', 'and']);
  });
});
