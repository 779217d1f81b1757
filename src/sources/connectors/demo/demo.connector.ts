import type { Clock } from '../../../common/clock.js';
import type { ResolvedSource } from '../../../config/app-config.js';
import { DemoSourceConfig } from '../../../config/config.schema.js';
import {
  type FetchPage,
  type FetchedPost,
  type OwnAccount,
  type PublishedReply,
  type ReplyRequest,
  type ReplyRules,
  SocialConnector,
} from '../../social-connector.js';
import { DEMO_CUSTOMERS, DEMO_POSTS, type DemoPost } from './demo-posts.js';

export const DEMO_BRAND_ACCOUNT = 'paradoxdemo';

interface PendingAnswer {
  post: FetchedPost;
  appearsAt: number;
}

// The built-in demo: replays example posts into the flow, accepts replies, and lets its
// customers answer follow-ups (some satisfied, some not). Everything it makes says "demo".
export class DemoConnector extends SocialConnector {
  readonly platform = 'demo';
  readonly replyRules: ReplyRules = { maxLength: 1000, idempotent: true, addressesAuthor: false, manual: false };
  private readonly run: string;
  private readonly startedAt: number;
  private readonly posted = new Map<string, DemoPost>();
  private readonly replies = new Map<string, PublishedReply>();
  // Each reply's id and the post it answers.
  private readonly replyParents = new Map<string, string>();
  private readonly answers: PendingAnswer[] = [];

  private readonly settings: DemoSourceConfig;

  constructor(
    source: ResolvedSource,
    private readonly clock: Clock,
  ) {
    super();
    this.settings = source.demo ?? new DemoSourceConfig();
    this.startedAt = clock.now().getTime();
    // Ids carry the run, so a restart's posts never collide with the last run's.
    this.run = this.startedAt.toString(36);
  }

  async ownAccount(): Promise<OwnAccount> {
    return { externalId: DEMO_BRAND_ACCOUNT, handle: `@${DEMO_BRAND_ACCOUNT}` };
  }

  async fetchNew(cursor: Record<string, string>): Promise<FetchPage> {
    const now = this.clock.now().getTime();
    const settings = this.settings;
    const sameRun = cursor.run === this.run;
    const emitted = sameRun ? Number(cursor.posts) : 0;
    const answered = sameRun ? Number(cursor.answers) : 0;
    const due = Math.floor((now - this.startedAt) / (settings.postEverySeconds * 1000)) + 1;

    const posts: FetchedPost[] = [];
    for (let seq = emitted; seq < due; seq++) posts.push(this.demoPost(seq, now));
    let answers = answered;
    while (answers < this.answers.length && this.answers[answers].appearsAt <= now) {
      const { post, appearsAt } = this.answers[answers++];
      posts.push({ ...post, postedAt: new Date(appearsAt) });
    }
    return { posts, cursor: { run: this.run, posts: String(Math.max(emitted, due)), answers: String(answers) }, hasMore: false, rateLimit: null };
  }

  // Demo threads are a post and the customer's answer to the brand's follow-up.
  async fetchThread(externalId: string): Promise<FetchedPost[]> {
    const template = this.posted.get(externalId);
    if (!template) return [];
    const answers = this.answers.map((a) => a.post).filter((a) => this.replyParents.get(a.inReplyToExternalId!) === externalId);
    return [this.toPost(externalId, template.customer, template.text, template.lang, null, this.startedAt), ...answers];
  }

  async postReply(reply: ReplyRequest): Promise<PublishedReply> {
    const known = this.replies.get(reply.idempotencyKey);
    if (known) return known;
    const externalId = `${this.run}-r${this.replies.size}`;
    const published = { externalId, url: null };
    this.replies.set(reply.idempotencyKey, published);
    this.replyParents.set(externalId, reply.inReplyTo.externalId);
    const original = this.posted.get(reply.inReplyTo.externalId);
    if (reply.kind === 'follow_up' && original?.followUpAnswer) {
      const now = this.clock.now().getTime();
      const answer = this.toPost(`${externalId}-answer`, original.customer, original.followUpAnswer.text, original.lang, externalId, now);
      this.answers.push({ post: answer, appearsAt: now + this.settings.answerAfterSeconds * 1000 });
    }
    return published;
  }

  private demoPost(seq: number, now: number): FetchedPost {
    const template = DEMO_POSTS[seq % DEMO_POSTS.length];
    const externalId = `${this.run}-${seq}`;
    this.posted.set(externalId, template);
    return this.toPost(externalId, template.customer, template.text, template.lang, null, now);
  }

  private toPost(externalId: string, customerId: string, text: string, lang: string, inReplyTo: string | null, now: number): FetchedPost {
    const customer = DEMO_CUSTOMERS.find((c) => c.id === customerId)!;
    return {
      externalId,
      url: null,
      text,
      language: lang,
      visibility: 'public',
      postedAt: new Date(now),
      inReplyToExternalId: inReplyTo,
      author: { externalId: `demo-${customer.id}`, handle: customer.handle, displayName: customer.displayName, followers: customer.followers },
      raw: { demo: true, externalId },
    };
  }
}
