import type { MigrationInterface, QueryRunner } from 'typeorm';

// The analysis moves onto the post's own row: it is written with the post, in the statement that
// stores a page, and read with it; a table of its own cost every page a second insert, a second
// index and a foreign key check per post. The analyses already made move with their posts.

// Each analysis column, its type and the default the post_analysis column had, if any.
const COLUMNS: [name: string, type: string, fallback?: string][] = [
  ['language', 'text'],
  ['sentiment_score', 'real'],
  ['sentiment_label', 'text'],
  ['complaint_probability', 'real'],
  ['is_complaint', 'boolean'],
  ['why', 'jsonb'],
  ['topic', 'text', `'other'`],
  ['severity', 'text', `'low'`],
  ['severity_why', 'jsonb', `'[]'`],
  ['abusive', 'boolean', 'false'],
  ['intent', 'text', `'other'`],
  ['model_version', 'text'],
  ['analysed_at', 'TIMESTAMP WITH TIME ZONE'],
];
const NAMES = COLUMNS.map(([name]) => name);

export class AnalysisOnThePost1796226731178 implements MigrationInterface {
  name = 'AnalysisOnThePost1796226731178';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "post" ${COLUMNS.map(([name, type]) => `ADD "analysis_${name}" ${type}`).join(', ')}`);
    await queryRunner.query(
      `UPDATE "post" p SET ${NAMES.map((n) => `"analysis_${n}" = a."${n}"`).join(', ')} FROM "post_analysis" a WHERE a."post_id" = p."id"`,
    );
    // Every stored post was analysed in the statement that stored it; one that was not, all the
    // same, reads as unanalysed: no complaint, neutral, under a model version that says so.
    await queryRunner.query(
      `UPDATE "post" SET "analysis_language" = 'other', "analysis_sentiment_score" = 0, "analysis_sentiment_label" = 'neutral',
         "analysis_complaint_probability" = 0, "analysis_is_complaint" = false, "analysis_why" = '[]', "analysis_topic" = 'other',
         "analysis_severity" = 'low', "analysis_severity_why" = '[]', "analysis_abusive" = false, "analysis_intent" = 'other',
         "analysis_model_version" = 'unanalysed', "analysis_analysed_at" = "fetched_at"
       WHERE "analysis_model_version" IS NULL`,
    );
    await queryRunner.query(
      `ALTER TABLE "post" ${COLUMNS.map(([name, , fallback]) => `ALTER COLUMN "analysis_${name}" SET NOT NULL${fallback ? `, ALTER COLUMN "analysis_${name}" SET DEFAULT ${fallback}` : ''}`).join(', ')}`,
    );
    await queryRunner.query(`DROP TABLE "post_analysis"`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `CREATE TABLE "post_analysis" ("post_id" uuid NOT NULL, "language" text NOT NULL, "sentiment_score" real NOT NULL, "sentiment_label" text NOT NULL,
         "complaint_probability" real NOT NULL, "is_complaint" boolean NOT NULL, "why" jsonb NOT NULL, "model_version" text NOT NULL,
         "analysed_at" TIMESTAMP WITH TIME ZONE NOT NULL, "topic" text NOT NULL DEFAULT 'other', "severity" text NOT NULL DEFAULT 'low',
         "severity_why" jsonb NOT NULL DEFAULT '[]', "abusive" boolean NOT NULL DEFAULT false, "intent" text NOT NULL DEFAULT 'other',
         CONSTRAINT "PK_b6ba555713fdd76d0d9db9f2c26" PRIMARY KEY ("post_id"))`,
    );
    await queryRunner.query(
      `ALTER TABLE "post_analysis" ADD CONSTRAINT "FK_b6ba555713fdd76d0d9db9f2c26" FOREIGN KEY ("post_id") REFERENCES "post"("id") ON DELETE CASCADE ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `INSERT INTO "post_analysis" ("post_id", ${NAMES.map((n) => `"${n}"`).join(', ')}) SELECT "id", ${NAMES.map((n) => `"analysis_${n}"`).join(', ')} FROM "post"`,
    );
    await queryRunner.query(`ALTER TABLE "post" ${NAMES.map((n) => `DROP COLUMN "analysis_${n}"`).join(', ')}`);
  }
}
