import { describe, expect, it } from '@jest/globals';
import { findEarlierReply, normaliseReplyText } from './x-reply-match.js';
import type { XTweet } from './x.types.js';

const reply = (id: string, inReplyTo: string, text: string): XTweet => ({ id, text, referenced_tweets: [{ type: 'replied_to', id: inReplyTo }] });

describe('normaliseReplyText', () => {
  it('drops the handles X puts in front of a reply and undoes its escapes', () => {
    expect(normaliseReplyText('@anna @acme Sorry &amp; thanks &lt;3')).toBe('Sorry & thanks <3');
  });

  it('treats a link and its t.co form alike, and any run of spaces as one', () => {
    expect(normaliseReplyText('Track it here: https://t.co/AbC123  today')).toBe(normaliseReplyText('Track it here: https://acme.example/orders/77\ntoday'));
  });
});

describe('findEarlierReply', () => {
  const text = 'Hi Anna, we are sorry & looking into it (C-7).';

  it('finds the brand’s reply to the same post with the same text', () => {
    const posts = [reply('5', '2', 'other'), reply('4', '1', '@anna Hi Anna, we are sorry &amp; looking into it (C-7).')];
    expect(findEarlierReply(posts, '1', text)?.id).toBe('4');
  });

  it('does not take the same text answering another post', () => {
    expect(findEarlierReply([reply('4', '9', text)], '1', text)).toBeUndefined();
  });

  it('does not take another text answering the same post (the follow-up is not the acknowledgement)', () => {
    expect(findEarlierReply([reply('4', '1', 'Is everything resolved now?')], '1', text)).toBeUndefined();
  });

  it('does not take a post that quotes the customer’s post rather than answering it', () => {
    expect(findEarlierReply([{ id: '4', text, referenced_tweets: [{ type: 'quoted', id: '1' }] }], '1', text)).toBeUndefined();
  });
});
