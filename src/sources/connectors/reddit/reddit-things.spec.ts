import { describe, expect, it } from '@jest/globals';
import { createdComment, earlierReply, thingToPost, threadPosts } from './reddit-things.js';
import type { RedditThing } from './reddit.types.js';

const link = (over: Record<string, unknown> = {}): RedditThing =>
  ({
    kind: 't3',
    data: {
      name: 't3_hmkbt8',
      id: 'hmkbt8',
      author: 'anna',
      author_fullname: 't2_5fm3qv6s',
      created_utc: 1594082000,
      subreddit: 'AcmeSupport',
      title: 'Parcel <b>lost</b> & nobody answers',
      selftext: 'Ordered three weeks ago.\n\nStill nothing.',
      permalink: '/r/AcmeSupport/comments/hmkbt8/parcel_lost/',
      ...over,
    },
  }) as RedditThing;

const comment = (name: string, parent: string, createdUtc: number, over: Record<string, unknown> = {}): RedditThing =>
  ({
    kind: 't1',
    data: {
      name,
      id: name.slice(3),
      author: 'tom',
      author_fullname: 't2_tom',
      created_utc: createdUtc,
      subreddit: 'AcmeSupport',
      body: `comment ${name}`,
      parent_id: parent,
      link_id: 't3_hmkbt8',
      permalink: `/r/AcmeSupport/comments/hmkbt8/parcel_lost/${name.slice(3)}/`,
      replies: '',
      ...over,
    },
  }) as RedditThing;

describe('thingToPost', () => {
  it('maps a link to its title and text, kept as typed, with the permalink as its url', () => {
    expect(thingToPost(link())).toMatchObject({
      externalId: 't3_hmkbt8',
      text: 'Parcel <b>lost</b> & nobody answers\n\nOrdered three weeks ago.\n\nStill nothing.',
      url: 'https://www.reddit.com/r/AcmeSupport/comments/hmkbt8/parcel_lost/',
      postedAt: new Date(1594082000 * 1000),
      inReplyToExternalId: null,
      rootExternalId: null,
      visibility: 'public',
      language: null,
      author: { externalId: 't2_5fm3qv6s', handle: 'u/anna', displayName: null, followers: null },
    });
  });

  it('maps a link without text, or whose text was removed, to its title', () => {
    expect(thingToPost(link({ selftext: '' }))?.text).toBe('Parcel <b>lost</b> & nobody answers');
    expect(thingToPost(link({ selftext: '[removed]' }))?.text).toBe('Parcel <b>lost</b> & nobody answers');
  });

  it('maps a comment to its body, its parent as fullname and its link as thread root', () => {
    expect(thingToPost(comment('t1_b', 't1_a', 1594083000))).toMatchObject({ externalId: 't1_b', text: 'comment t1_b', inReplyToExternalId: 't1_a', rootExternalId: 't3_hmkbt8' });
  });

  it('finds the thread root of an inbox reply in its context', () => {
    const reply = comment('t1_c', 't1_ack', 1594084000, { link_id: undefined, permalink: undefined, context: '/r/AcmeSupport/comments/hmkbt8/parcel_lost/c/?context=3', was_comment: true, type: 'comment_reply' });
    expect(thingToPost(reply)).toMatchObject({ rootExternalId: 't3_hmkbt8', url: 'https://www.reddit.com/r/AcmeSupport/comments/hmkbt8/parcel_lost/c/?context=3' });
  });

  it('leaves out private messages, "more" stubs, deleted authors and removed comments', () => {
    expect(thingToPost({ kind: 't4', data: { name: 't4_x', created_utc: 1 } } as RedditThing)).toBeNull();
    expect(thingToPost({ kind: 'more', data: { name: 't1_more', children: ['a'] } } as unknown as RedditThing)).toBeNull();
    expect(thingToPost(comment('t1_d', 't3_hmkbt8', 1, { author: '[deleted]', author_fullname: undefined, body: '[deleted]' }))).toBeNull();
    expect(thingToPost(comment('t1_e', 't3_hmkbt8', 1, { body: '[removed]' }))).toBeNull();
  });

  it('refuses a comment without its parent as a bad answer', () => {
    expect(() => thingToPost(comment('t1_f', 't3_hmkbt8', 1, { parent_id: undefined }))).toThrow('has no body or parent');
  });
});

describe('threadPosts', () => {
  it('puts the link and its comment tree oldest first, each parent before its replies', () => {
    const reply = comment('t1_b', 't1_a', 300);
    const first = comment('t1_a', 't3_hmkbt8', 200, { replies: { kind: 'Listing', data: { after: null, before: null, children: [reply, { kind: 'more', data: { name: 't1_m', id: 'm', children: ['x'] } }] } } });
    const second = comment('t1_c', 't3_hmkbt8', 250);
    const answer = [
      { kind: 'Listing', data: { after: null, before: null, children: [link({ created_utc: 100 })] } },
      { kind: 'Listing', data: { after: null, before: null, children: [first, second] } },
    ];
    expect(threadPosts(answer, 'GET /comments/hmkbt8').map((p) => p.externalId)).toEqual(['t3_hmkbt8', 't1_a', 't1_c', 't1_b']);
  });

  it('refuses an answer that is not the link and its comments', () => {
    expect(() => threadPosts({ kind: 'Listing' }, 'GET /comments/x')).toThrow('did not answer the link and its comments');
  });
});

describe('earlierReply', () => {
  const mine = [comment('t1_ack', 't3_other', 1, { body: 'Sorry Anna, we are on it.' }), comment('t1_ack2', 't3_hmkbt8', 2, { body: 'Sorry Anna, we are on it.\r\n' })];

  it('finds the comment an earlier attempt left under the same parent with the same text', () => {
    expect(earlierReply(mine, 't3_hmkbt8', 'Sorry Anna, we are on it.')?.name).toBe('t1_ack2');
  });

  it('finds nothing under another parent or with another text', () => {
    expect(earlierReply(mine, 't3_third', 'Sorry Anna, we are on it.')).toBeUndefined();
    expect(earlierReply(mine, 't3_hmkbt8', 'Is everything resolved?')).toBeUndefined();
  });
});

describe('createdComment', () => {
  it('reads the comment from json.data.things', () => {
    const made = createdComment({ json: { errors: [], data: { things: [comment('t1_fx5oyxp', 't3_hmkbt8', 1)] } } });
    expect(made).toMatchObject({ name: 't1_fx5oyxp', parent_id: 't3_hmkbt8' });
  });

  it('names the first error in json.errors', () => {
    expect(createdComment({ json: { errors: [['THREAD_LOCKED', 'that thread is locked', 'parent']] } })).toEqual({ code: 'THREAD_LOCKED', message: 'that thread is locked', ratelimit: undefined });
  });

  it('refuses an answer without json or without the comment', () => {
    expect(() => createdComment({ success: true })).toThrow('has no json');
    expect(() => createdComment({ json: { errors: [], data: { things: [] } } })).toThrow('names no comment');
  });
});
