import { performance } from 'node:perf_hooks';
import { DataSource } from 'typeorm';
import type { ResolvedSource } from '../src/config/app-config.js';
import { AnalysisService, type PostAnalysisResult } from '../src/analysis/analysis.service.js';
import { IngestService } from '../src/sources/ingest.service.js';
import type { FetchedPost } from '../src/sources/social-connector.js';
import type { TestApp } from '../test/support/test-app.js';

export const RAW_PLATFORM = 'bench-raw';

const POST_COLUMNS = [
  'brand_id', 'source_id', 'platform', 'external_id', 'author_id', 'url', 'text', 'declared_language', 'visibility',
  'posted_at', 'fetched_at', 'in_reply_to_external_id', 'root_external_id', 'raw',
  'analysis_language', 'analysis_sentiment_score', 'analysis_sentiment_label', 'analysis_complaint_probability', 'analysis_is_complaint',
  'analysis_why', 'analysis_topic', 'analysis_severity', 'analysis_severity_why', 'analysis_abusive', 'analysis_intent',
  'analysis_model_version', 'analysis_analysed_at',
];

export interface Timed {
  posts: number;
  ms: number;
}

export const perSecond = (t: Timed) => (t.posts / t.ms) * 1000;

// The floor: the same rows ingestion writes into post, as one multi-row INSERT per page in a
// transaction of its own, on the app's own pool. No cases; the analysis done and the authors
// written beforehand, outside the clock. Each row names its own author, as ingestion's rows do
// (one author for every row would make the author index and the foreign key check cheaper than
// the real rows make them).
export class RawInsert {
  private constructor(
    private readonly db: DataSource,
    private readonly source: ResolvedSource,
    private readonly authors: Map<string, string>,
    private readonly analyses: Map<string, PostAnalysisResult>,
  ) {}

  static async prepare(t: TestApp, pages: FetchedPost[][]): Promise<RawInsert> {
    const db = t.app.get(DataSource);
    const people = [...new Map(pages.flat().map((p) => [p.author.externalId, p.author])).values()];
    const rows: { id: string; external_id: string }[] = await db.query(
      `INSERT INTO author (platform, external_id, handle, display_name, followers)
       SELECT $1, a.external_id, a.handle, a.display_name, a.followers
       FROM jsonb_to_recordset($2::jsonb) AS a(external_id text, handle text, display_name text, followers int)
       RETURNING id, external_id`,
      [RAW_PLATFORM, JSON.stringify(people.map((a) => ({ external_id: a.externalId, handle: a.handle, display_name: a.displayName, followers: a.followers })))],
    );
    const source = t.config.sources[0];
    const analysis = t.app.get(AnalysisService);
    const analyses = new Map(
      pages.flat().map((p) => [p.externalId, analysis.analyse({ text: p.text, lang: p.language, brandHandles: ['@acme'], brand: source.brand })]),
    );
    return new RawInsert(db, source, new Map(rows.map((r) => [r.external_id, r.id])), analyses);
  }

  // label keeps the rows of each run apart under UNIQUE (platform, external_id).
  async run(pages: FetchedPost[][], label: string): Promise<Timed> {
    const started = performance.now();
    let posts = 0;
    for (const page of pages) {
      const now = new Date();
      const params = page.flatMap((p) => {
        const a = this.analyses.get(p.externalId)!;
        return [
          this.source.brand,
          this.source.id,
          RAW_PLATFORM,
          `${label}:${p.externalId}`,
          this.authors.get(p.author.externalId),
          p.url,
          p.text,
          p.language,
          p.visibility,
          p.postedAt,
          now,
          p.inReplyToExternalId,
          p.inReplyToExternalId ?? p.externalId,
          JSON.stringify(p.raw ?? null),
          a.language,
          a.sentiment.score,
          a.sentiment.label,
          a.complaint.probability,
          a.complaint.label,
          JSON.stringify(a.complaint.why),
          a.topic,
          a.severity,
          JSON.stringify(a.severityWhy),
          a.abusive,
          a.intent,
          a.modelVersion,
          now,
        ];
      });
      const rows = page.map((_, r) => `(${POST_COLUMNS.map((_, c) => `$${r * POST_COLUMNS.length + c + 1}`).join(', ')})`);
      await this.db.transaction((m) => m.query(`INSERT INTO post (${POST_COLUMNS.join(', ')}) VALUES ${rows.join(', ')}`, params));
      posts += page.length;
    }
    return { posts, ms: performance.now() - started };
  }
}

export interface IngestTotals extends Timed {
  stored: number;
  opened: number;
  joined: number;
}

// The real path: IngestService.ingest, page by page, as SourcePoller calls it.
export class Ingestion {
  private readonly ingest: IngestService;
  private readonly source: ResolvedSource;

  constructor(private readonly t: TestApp) {
    this.ingest = t.app.get(IngestService);
    this.source = t.config.sources[0];
  }

  async prepare(): Promise<void> {
    // As the poller leaves it: the cursor update at the end of each page has a row to move.
    await this.t.app
      .get(DataSource)
      .query(`INSERT INTO source_state (source_id, platform) VALUES ($1, 'mastodon') ON CONFLICT (source_id) DO NOTHING`, [this.source.id]);
  }

  // As the poller hands them over: each page pulled while the one before it is stored. The time
  // between two pulls is the time a page takes in the pipeline.
  async run(pages: FetchedPost[][], onPage?: (ms: number) => void): Promise<IngestTotals> {
    const started = performance.now();
    let pulled = started;
    const feed = async function* () {
      for (const [i, page] of pages.entries()) {
        yield { posts: page, cursor: { mentions: page[page.length - 1].externalId } };
        const now = performance.now();
        if (i > 0 || pages.length === 1) onPage?.(now - pulled);
        pulled = now;
      }
    };
    const results = await this.ingest.ingestPages(this.source, 'mastodon', '@acme', feed());
    const totals: IngestTotals = { posts: 0, ms: performance.now() - started, stored: 0, opened: 0, joined: 0 };
    for (const [i, result] of results.entries()) {
      totals.posts += pages[i].length;
      totals.stored += result.stored;
      totals.opened += result.opened.length;
      totals.joined += result.joined.length;
    }
    return totals;
  }
}
