import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, type EntityManager } from 'typeorm';
import { AnalysisService, type PostAnalysisResult } from '../analysis/analysis.service.js';
import { CasesService, type IntakeResult } from '../cases/cases.service.js';
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
    const unique = [...new Map(fetched.map((p) => [p.externalId, p])).values()].sort((a, b) => a.postedAt.getTime() - b.postedAt.getTime());
    // Analysis is pure CPU: done before the transaction so the transaction stays short.
    const analyses = new Map<string, PostAnalysisResult>(
      unique.map((p) => [p.externalId, this.analysis.analyse({ text: p.text, lang: p.language, brandHandles: [brandHandle], brand: source.brand })]),
    );
    return this.db.transaction(async (m) => {
      const { posts: stored, authors } = await this.store(source, platform, unique, analyses, cursor, m);
      const intake = await this.cases.takeIn(
        source.brand,
        stored.map((post) => ({ post, author: authors.get(post.authorId)!, analysis: analyses.get(post.externalId)! })),
        m,
      );
      return { ...intake, stored: stored.length, duplicates: unique.length - stored.length };
    });
  }

  // Authors, new posts, their analyses and the source's cursor in one statement: a post already
  // stored is skipped with its analysis, and its author's handle and followers are brought up to date.
  private async store(
    source: ResolvedSource,
    platform: string,
    posts: FetchedPost[],
    analyses: Map<string, PostAnalysisResult>,
    cursor: Record<string, string>,
    m: EntityManager,
  ): Promise<{ posts: Post[]; authors: Map<string, Author> }> {
    if (!posts.length) {
      await m.query('UPDATE source_state SET cursor = $2 WHERE source_id = $1', [source.id, pgSafeJson(cursor)]);
      return { posts: [], authors: new Map() };
    }
    const byExternal = new Map(posts.map((p) => [p.author.externalId, p.author]));
    const authorList = [...byExternal.values()];
    const anchors = threadAnchors(posts);
    const results = posts.map((p) => analyses.get(p.externalId)!);
    const now = this.clock.now();
    // The page travels as one JSON document: cheaper to send and parse than an array literal per
    // column. The raw payloads, most of its bytes, come apart as one jsonb array, parsed once
    // rather than read as json and then parsed again for each post.
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
    const people = authorList.map((a) => ({ external_id: a.externalId, handle: a.handle, display_name: a.displayName, followers: a.followers }));
    const rows = await queryPrepared<{ id: string; external_id: string; author_id: string; root_external_id: string }>(
      m,
      'ingest-store-page',
      `WITH page AS (
         SELECT p.*, r.raw FROM json_to_recordset($4::json) AS p(ord int, external_id text, author_external_id text, url text,
           text text, declared_language text, visibility text, posted_at timestamptz, in_reply_to_external_id text, anchor text,
           language text, sentiment_score real, sentiment_label text, complaint_probability real, is_complaint boolean,
           why jsonb, topic text, severity text, severity_why jsonb, abusive boolean, intent text, model_version text)
         JOIN jsonb_array_elements($8::jsonb) WITH ORDINALITY AS r(raw, ord) USING (ord)),
       authors AS (
         INSERT INTO author (platform, external_id, handle, display_name, followers)
         SELECT $3, a.external_id, a.handle, a.display_name, a.followers
         FROM json_to_recordset($5::json) AS a(external_id text, handle text, display_name text, followers int)
         ON CONFLICT (platform, external_id) DO UPDATE
           SET handle = EXCLUDED.handle, display_name = EXCLUDED.display_name, followers = EXCLUDED.followers
         RETURNING id, external_id),
       stored AS (
         INSERT INTO post (brand_id, source_id, platform, external_id, author_id, url, text, declared_language, visibility,
           posted_at, fetched_at, in_reply_to_external_id, root_external_id, raw)
         SELECT $1, $2, $3, p.external_id, authors.id, p.url, p.text, p.declared_language, p.visibility, p.posted_at, $6::timestamptz,
           p.in_reply_to_external_id,
           -- The thread root: the stored parent's root, else the parent, else the post itself, all
           -- taken at the post's oldest ancestor in this page.
           coalesce(parent.root_external_id, a.in_reply_to_external_id, a.external_id), p.raw
         FROM page p JOIN authors ON authors.external_id = p.author_external_id
         JOIN page a ON a.external_id = p.anchor
         LEFT JOIN post parent ON parent.platform = $3 AND parent.external_id = a.in_reply_to_external_id
         ON CONFLICT (platform, external_id) DO NOTHING
         RETURNING id, external_id, author_id, root_external_id),
       analysed AS (
         INSERT INTO post_analysis (post_id, language, sentiment_score, sentiment_label, complaint_probability, is_complaint, why,
           topic, severity, severity_why, abusive, intent, model_version, analysed_at)
         SELECT stored.id, p.language, p.sentiment_score, p.sentiment_label, p.complaint_probability, p.is_complaint, p.why,
           p.topic, p.severity, p.severity_why, p.abusive, p.intent, p.model_version, $6::timestamptz
         FROM stored JOIN page p USING (external_id)),
       moved AS (
         UPDATE source_state SET cursor = $7::jsonb, posts_ingested = posts_ingested + (SELECT count(*) FROM stored)
         WHERE source_id = $2)
       SELECT id, external_id, author_id, root_external_id FROM stored`,
      [source.brand, source.id, platform, pgSafeJson(page), pgSafeJson(people), now, pgSafeJson(cursor), pgSafeJson(posts.map((p) => p.raw ?? null))],
    );
    const stored = new Map(rows.map((r) => [r.external_id, r]));
    const authors = new Map<string, Author>();
    const kept: Post[] = [];
    for (const p of posts) {
      const row = stored.get(p.externalId);
      if (!row) continue;
      const a = p.author;
      authors.set(row.author_id, Object.assign(new Author(), { id: row.author_id, platform, externalId: a.externalId, handle: a.handle, displayName: a.displayName, followers: a.followers }));
      kept.push(
        Object.assign(new Post(), {
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
        }),
      );
    }
    return { posts: kept, authors };
  }
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
