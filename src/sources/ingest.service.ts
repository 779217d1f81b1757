import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { AnalysisService, type PostAnalysisResult } from '../analysis/analysis.service.js';
import { postAnalysis } from '../analysis/post-analysis.entity.js';
import { CasesService, type IntakeItem, type IntakeReadRow, type IntakeResult, intakeReadSql } from '../cases/cases.service.js';
import { Clock } from '../common/clock.js';
import { pgSafeJson, pgSafeText } from '../common/pg-json.js';
import { queryPrepared } from '../database/prepared.js';
import type { ResolvedSource } from '../config/app-config.js';
import { Author } from './author.entity.js';
import { Post } from './post.entity.js';
import type { FetchedPost } from './social-connector.js';

export interface IngestResult extends IntakeResult {
  stored: number;
  duplicates: number;
}

// One fetched page: its posts and the cursor to store once they are safely recorded.
export interface IngestPage {
  posts: FetchedPost[];
  cursor: Record<string, string>;
}

// A post the store statement wrote, as it answers.
interface StoredRow {
  id: string;
  external_id: string;
  author_id: string;
  root_external_id: string;
}

// A page analysed and turned into the store statement's parameters: all the CPU work, done
// before its transaction opens.
interface PreparedPage {
  source: ResolvedSource;
  platform: string;
  posts: FetchedPost[];
  analyses: PostAnalysisResult[];
  cursor: string;
  params: { page: string; people: string; raw: string[] } | null;
}

// What the case intake reads of the page, in the store statement: its placeholders there.
const intake = intakeReadSql({ brand: '$1', platform: '$3', now: '$6', repeatDays: '$8', ftfDays: '$9' });

// The statement for a page of n posts. The raw payloads, most of a page's bytes, are one parameter
// each ($10 on), parsed once straight into jsonb: unpacking one array of them costs a copy more.
const storePage = (n: number) => `WITH page AS (
         SELECT p.*, r.raw FROM jsonb_to_recordset($4::jsonb) AS p(ord int, external_id text, author_external_id text, url text,
           text text, declared_language text, visibility text, posted_at timestamptz, in_reply_to_external_id text, declared_root text, anchor text,
           language text, sentiment_score real, sentiment_label text, complaint_probability real, is_complaint boolean,
           why jsonb, topic text, severity text, severity_why jsonb, abusive boolean, intent text, model_version text)
         JOIN (VALUES ${Array.from({ length: n }, (_, i) => `($${i + 10}::jsonb, ${i + 1})`).join(', ')}) AS r(raw, ord) USING (ord)),
       people AS (
         SELECT * FROM jsonb_to_recordset($5::jsonb) AS a(external_id text, handle text, display_name text, followers int)),
       -- New authors, and known ones whose handle, name or followers changed; an unchanged author
       -- is not written again, and is found among those the statement started with. An author
       -- another transaction added since the statement started (a second source of the brand
       -- taking in the same person) is not among those: it is written again, so that it returns
       -- here and its posts have an author to go with.
       written AS (
         INSERT INTO author (platform, external_id, handle, display_name, followers)
         SELECT $3, a.external_id, a.handle, a.display_name, a.followers FROM people a
         ON CONFLICT (platform, external_id) DO UPDATE
           SET handle = EXCLUDED.handle, display_name = EXCLUDED.display_name, followers = EXCLUDED.followers
           WHERE (author.handle, author.display_name, author.followers)
             IS DISTINCT FROM (EXCLUDED.handle, EXCLUDED.display_name, EXCLUDED.followers)
             -- OFFSET 0 keeps it a lookup by key: the planner would otherwise hash every author of the platform.
             OR NOT EXISTS (SELECT 1 FROM author seen WHERE seen.platform = $3 AND seen.external_id = EXCLUDED.external_id OFFSET 0)
         RETURNING id, external_id),
       authors AS (
         SELECT id, external_id FROM written
         UNION
         -- Author by author through the unique key (OFFSET 0 keeps it a lookup, not a scan of every author).
         SELECT known.id, known.external_id FROM people
         CROSS JOIN LATERAL (SELECT id, external_id FROM author known WHERE known.platform = $3 AND known.external_id = people.external_id OFFSET 0) known),
       stored AS (
         INSERT INTO post (brand_id, source_id, platform, external_id, author_id, url, text, declared_language, visibility,
           posted_at, fetched_at, in_reply_to_external_id, root_external_id, raw,
           analysis_language, analysis_sentiment_score, analysis_sentiment_label, analysis_complaint_probability, analysis_is_complaint,
           analysis_why, analysis_topic, analysis_severity, analysis_severity_why, analysis_abusive, analysis_intent,
           analysis_model_version, analysis_analysed_at)
         SELECT $1, $2, $3, p.external_id, authors.id, p.url, p.text, p.declared_language, p.visibility, p.posted_at, $6::timestamptz,
           p.in_reply_to_external_id,
           -- The thread root: the one the platform names, else the stored parent's root, else the
           -- parent, else the post itself, all taken at the post's oldest ancestor in this page.
           coalesce(p.declared_root, parent.root_external_id, a.in_reply_to_external_id, a.external_id), p.raw,
           p.language, p.sentiment_score, p.sentiment_label, p.complaint_probability, p.is_complaint, p.why,
           p.topic, p.severity, p.severity_why, p.abusive, p.intent, p.model_version, $6::timestamptz
         FROM page p JOIN authors ON authors.external_id = p.author_external_id
         JOIN page a ON a.external_id = p.anchor
         LEFT JOIN post parent ON parent.platform = $3 AND parent.external_id = a.in_reply_to_external_id
         ON CONFLICT (platform, external_id) DO NOTHING
         RETURNING id, external_id, author_id, root_external_id),
       moved AS (
         UPDATE source_state SET cursor = $7::jsonb, posts_ingested = posts_ingested + (SELECT count(*) FROM stored)
         WHERE source_id = $2),
       -- The new posts as the case room's intake reads them, in this statement too (intakeReadSql).
       intake_posts AS (
         SELECT s.id AS post_id, s.author_id, s.root_external_id AS root, p.in_reply_to_external_id AS in_reply_to, p.is_complaint,
           p.topic, p.posted_at, coalesce(nullif(a.display_name, ''), a.handle) AS display_name
         FROM stored s JOIN page p USING (external_id) JOIN people a ON a.external_id = p.author_external_id),
       ${intake.ctes}
       SELECT 'post' AS kind, jsonb_build_object('id', id, 'external_id', external_id, 'author_id', author_id, 'root_external_id', root_external_id) AS row,
         NULL::text AS via_parent
       FROM stored
       UNION ALL
       ${intake.select}`;

const turn = () => new Promise<void>((resolve) => setImmediate(resolve));

// Stores a fetched page once (UNIQUE (platform, external_id)), analyses the new posts, hands them
// to the case queue and moves the cursor: all in one transaction, so a crash loses or doubles nothing.
@Injectable()
export class IngestService {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    private readonly analysis: AnalysisService,
    private readonly cases: CasesService,
    private readonly clock: Clock,
  ) {}

  async ingest(source: ResolvedSource, platform: string, fetched: FetchedPost[], cursor: Record<string, string>, brandHandle: string): Promise<IngestResult> {
    return this.store(this.prepare(source, platform, { posts: fetched, cursor }, brandHandle));
  }

  // Pages one after another, each in a transaction of its own. While the database stores one
  // page, the next is fetched and analysed: the analysis is CPU here, the store is work on the
  // database server, and the two overlap. A page that fails stops the run; the pages after it
  // were never stored, and the cursor stays where the last stored page left it.
  async ingestPages(source: ResolvedSource, platform: string, brandHandle: string, pages: AsyncIterator<IngestPage>): Promise<IngestResult[]> {
    const prepare = (next: IteratorResult<IngestPage>) => (next.done ? null : this.prepare(source, platform, next.value, brandHandle));
    const results: IngestResult[] = [];
    let prepared = prepare(await pages.next());
    while (prepared) {
      const upcoming = pages.next();
      let following: Promise<PreparedPage | null> | undefined;
      // Analysing as soon as the next page is there, which is while this one is being stored. A
      // fetch that fails meanwhile is reported once this page is stored. The analysis waits for
      // the next turn of the event loop: by then the store statement has left for the database,
      // which would otherwise wait for the CPU work queued ahead of its sending.
      const follow = () => {
        if (!following) (following = upcoming.then(async (next) => (await turn(), prepare(next)))).catch(() => undefined);
        return following;
      };
      upcoming.catch(() => undefined);
      try {
        results.push(await this.store(prepared, follow));
      } catch (error) {
        follow();
        await pages.return?.();
        throw error;
      }
      prepared = await follow();
    }
    return results;
  }

  private prepare(source: ResolvedSource, platform: string, fetched: IngestPage, brandHandle: string): PreparedPage {
    const posts = [...new Map(fetched.posts.map((p) => [p.externalId, p])).values()].sort((a, b) => a.postedAt.getTime() - b.postedAt.getTime());
    const analyses = posts.map((p) => this.analysis.analyse({ text: p.text, lang: p.language, brandHandles: [brandHandle], brand: source.brand }));
    return { source, platform, posts, analyses, cursor: pgSafeJson(fetched.cursor), params: posts.length ? storeParams(posts, analyses) : null };
  }

  // Authors, new posts, their analyses and the source's cursor in one statement (a post already
  // stored is skipped with its analysis, and its author's handle and followers are brought up to
  // date), which also reads what the case queue's intake needs of the new posts (intakeReadSql);
  // then the intake writes. whileStoring runs once the statement is on its way.
  private async store(prepared: PreparedPage, whileStoring?: () => void): Promise<IngestResult> {
    const { source, platform, posts, analyses, cursor, params } = prepared;
    return this.db.transaction(async (m) => {
      if (!params) {
        const moved = m.query('UPDATE source_state SET cursor = $2 WHERE source_id = $1', [source.id, cursor]);
        whileStoring?.();
        await moved;
        return { opened: [], joined: [], stored: 0, duplicates: 0 };
      }
      const now = this.clock.now();
      const storing = queryPrepared<IntakeReadRow | { kind: 'post'; row: StoredRow }>(
        m,
        `ingest-store-page-${posts.length}`,
        storePage(posts.length),
        [source.brand, source.id, platform, params.page, params.people, now, cursor, ...this.cases.intakeReadValues(source.brand), ...params.raw],
      );
      whileStoring?.();
      const stored = new Map<string, StoredRow>();
      const read: IntakeReadRow[] = [];
      for (const r of await storing) {
        if (r.kind === 'post') stored.set(r.row.external_id, r.row);
        else read.push(r);
      }
      const items: IntakeItem[] = [];
      posts.forEach((p, i) => {
        const row = stored.get(p.externalId);
        if (!row) return;
        const a = p.author;
        const author = Object.assign(new Author(), { id: row.author_id, platform, externalId: a.externalId, handle: a.handle, displayName: a.displayName, followers: a.followers });
        const post = Object.assign(new Post(), {
          id: row.id,
          brandId: source.brand,
          sourceId: source.id,
          platform,
          externalId: p.externalId,
          authorId: row.author_id,
          url: p.url,
          text: pgSafeText(p.text),
          declaredLanguage: p.language,
          visibility: p.visibility,
          postedAt: p.postedAt,
          fetchedAt: now,
          inReplyToExternalId: p.inReplyToExternalId,
          rootExternalId: row.root_external_id,
          raw: p.raw,
          analysis: postAnalysis(analyses[i], now),
        });
        items.push({ post, author, analysis: analyses[i] });
      });
      const intake = await this.cases.takeIn(source.brand, items, read, m);
      return { ...intake, stored: items.length, duplicates: posts.length - items.length };
    });
  }
}

// The page travels as one JSON document: cheaper to send and parse than an array literal per column.
function storeParams(posts: FetchedPost[], results: PostAnalysisResult[]): PreparedPage['params'] {
  const anchors = threadAnchors(posts);
  const page = posts.map((p, i) => ({
    ord: i + 1,
    external_id: p.externalId,
    author_external_id: p.author.externalId,
    url: p.url,
    text: p.text,
    declared_language: p.language,
    visibility: p.visibility,
    posted_at: p.postedAt.toISOString(),
    in_reply_to_external_id: p.inReplyToExternalId,
    declared_root: p.rootExternalId ?? null,
    anchor: anchors.get(p.externalId),
    language: results[i].language,
    sentiment_score: results[i].sentiment.score,
    sentiment_label: results[i].sentiment.label,
    complaint_probability: results[i].complaint.probability,
    is_complaint: results[i].complaint.label,
    why: results[i].complaint.why,
    topic: results[i].topic,
    severity: results[i].severity,
    severity_why: results[i].severityWhy,
    abusive: results[i].abusive,
    intent: results[i].intent,
    model_version: results[i].modelVersion,
  }));
  const authors = [...new Map(posts.map((p) => [p.author.externalId, p.author])).values()];
  const people = authors.map((a) => ({ external_id: a.externalId, handle: a.handle, display_name: a.displayName, followers: a.followers }));
  return { page: pgSafeJson(page), people: pgSafeJson(people), raw: posts.map((p) => pgSafeJson(p.raw ?? null)) };
}

// Each post's oldest ancestor within the page (itself when its parent is not in the page):
// the thread root is found from there.
function threadAnchors(posts: FetchedPost[]): Map<string, string> {
  const parents = new Map(posts.map((p) => [p.externalId, p.inReplyToExternalId]));
  const anchors = new Map<string, string>();
  const anchor = (id: string, depth = 0): string => {
    const known = anchors.get(id);
    if (known) return known;
    const parent = parents.get(id);
    // The depth bound stops a malformed page whose posts answer each other in a circle.
    const found = parent && parents.has(parent) && depth < posts.length ? anchor(parent, depth + 1) : id;
    anchors.set(id, found);
    return found;
  };
  for (const p of posts) anchor(p.externalId);
  return anchors;
}
