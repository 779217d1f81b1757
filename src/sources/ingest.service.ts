import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, type EntityManager, In } from 'typeorm';
import { AnalysisService, type PostAnalysisResult } from '../analysis/analysis.service.js';
import { CasesService, type IntakeResult } from '../cases/cases.service.js';
import { Clock } from '../common/clock.js';
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
      unique.map((p) => [p.externalId, this.analysis.analyse({ text: p.text, lang: p.language, brandHandles: [brandHandle] })]),
    );
    return this.db.transaction(async (m) => {
      const authors = await this.upsertAuthors(platform, unique, m);
      const stored = await this.insertPosts(source, platform, unique, authors, analyses, m);
      const intake = await this.cases.takeIn(
        source.brand,
        stored.map((post) => ({ post, author: authors.get(post.authorId)!, analysis: analyses.get(post.externalId)! })),
        m,
      );
      await m.query(
        'UPDATE source_state SET cursor = $2, posts_ingested = posts_ingested + $3 WHERE source_id = $1',
        [source.id, JSON.stringify(cursor), stored.length],
      );
      return { ...intake, stored: stored.length, duplicates: unique.length - stored.length };
    });
  }

  private async upsertAuthors(platform: string, posts: FetchedPost[], m: EntityManager): Promise<Map<string, Author>> {
    const byExternal = new Map(posts.map((p) => [p.author.externalId, p.author]));
    const list = [...byExternal.values()];
    if (!list.length) return new Map();
    const rows: { id: string; external_id: string }[] = await m.query(
      `INSERT INTO author (platform, external_id, handle, display_name, followers)
       SELECT $1, * FROM unnest($2::text[], $3::text[], $4::text[], $5::int[])
       ON CONFLICT (platform, external_id) DO UPDATE
         SET handle = EXCLUDED.handle, display_name = EXCLUDED.display_name, followers = EXCLUDED.followers
       RETURNING id, external_id`,
      [platform, list.map((a) => a.externalId), list.map((a) => a.handle), list.map((a) => a.displayName), list.map((a) => a.followers)],
    );
    const authors = new Map<string, Author>();
    for (const row of rows) {
      const a = byExternal.get(row.external_id)!;
      authors.set(row.id, Object.assign(new Author(), { id: row.id, platform, externalId: a.externalId, handle: a.handle, displayName: a.displayName, followers: a.followers }));
    }
    return authors;
  }

  // New posts and their analyses in one statement; a post already stored is skipped with its analysis.
  private async insertPosts(
    source: ResolvedSource,
    platform: string,
    posts: FetchedPost[],
    authors: Map<string, Author>,
    analyses: Map<string, PostAnalysisResult>,
    m: EntityManager,
  ): Promise<Post[]> {
    if (!posts.length) return [];
    const authorId = new Map([...authors.values()].map((a) => [a.externalId, a.id]));
    const roots = await this.threadRoots(platform, posts, m);
    const now = this.clock.now();
    const results = posts.map((p) => analyses.get(p.externalId)!);
    const rows: { id: string; external_id: string }[] = await m.query(
      `WITH stored AS (
         INSERT INTO post (brand_id, source_id, platform, external_id, author_id, url, text, declared_language, visibility,
           posted_at, fetched_at, in_reply_to_external_id, root_external_id, raw)
         SELECT $1, $2, $3, * FROM unnest($4::text[], $5::uuid[], $6::text[], $7::text[], $8::text[], $9::text[],
           $10::timestamptz[], $11::timestamptz[], $12::text[], $13::text[], $14::jsonb[])
         ON CONFLICT (platform, external_id) DO NOTHING
         RETURNING id, external_id),
       analysed AS (
         INSERT INTO post_analysis (post_id, language, sentiment_score, sentiment_label, complaint_probability, is_complaint, why,
           model_version, analysed_at)
         SELECT stored.id, a.language, a.sentiment_score, a.sentiment_label, a.complaint_probability, a.is_complaint, a.why,
           a.model_version, ($11::timestamptz[])[1]
         FROM stored JOIN unnest($4::text[], $15::text[], $16::real[], $17::text[], $18::real[], $19::boolean[], $20::jsonb[], $21::text[])
           AS a(external_id, language, sentiment_score, sentiment_label, complaint_probability, is_complaint, why, model_version)
           USING (external_id))
       SELECT id, external_id FROM stored`,
      [
        source.brand,
        source.id,
        platform,
        posts.map((p) => p.externalId),
        posts.map((p) => authorId.get(p.author.externalId)),
        posts.map((p) => p.url),
        posts.map((p) => p.text),
        posts.map((p) => p.language),
        posts.map((p) => p.visibility),
        posts.map((p) => p.postedAt),
        posts.map(() => now),
        posts.map((p) => p.inReplyToExternalId),
        posts.map((p) => roots.get(p.externalId)),
        posts.map((p) => JSON.stringify(p.raw ?? null)),
        results.map((r) => r.language),
        results.map((r) => r.sentiment.score),
        results.map((r) => r.sentiment.label),
        results.map((r) => r.complaint.probability),
        results.map((r) => r.complaint.label),
        results.map((r) => JSON.stringify(r.complaint.why)),
        results.map((r) => r.modelVersion),
      ],
    );
    const ids = new Map(rows.map((r) => [r.external_id, r.id]));
    return posts
      .filter((p) => ids.has(p.externalId))
      .map((p) =>
        Object.assign(new Post(), {
          id: ids.get(p.externalId)!,
          brandId: source.brand,
          sourceId: source.id,
          platform,
          externalId: p.externalId,
          authorId: authorId.get(p.author.externalId)!,
          url: p.url,
          text: p.text,
          declaredLanguage: p.language,
          visibility: p.visibility,
          postedAt: p.postedAt,
          fetchedAt: now,
          inReplyToExternalId: p.inReplyToExternalId,
          rootExternalId: roots.get(p.externalId)!,
          raw: p.raw,
        }),
      );
  }

  // A post's thread root: its parent's root when the parent is known, else the parent, else itself.
  private async threadRoots(platform: string, posts: FetchedPost[], m: EntityManager): Promise<Map<string, string>> {
    const parentIds = [...new Set(posts.map((p) => p.inReplyToExternalId).filter((id): id is string => !!id))];
    const known = parentIds.length
      ? await m.find(Post, { select: { externalId: true, rootExternalId: true }, where: { platform, externalId: In(parentIds) } })
      : [];
    const roots = new Map(known.map((p) => [p.externalId, p.rootExternalId]));
    for (const p of posts) {
      const parent = p.inReplyToExternalId;
      roots.set(p.externalId, parent ? (roots.get(parent) ?? parent) : p.externalId);
    }
    return roots;
  }
}
