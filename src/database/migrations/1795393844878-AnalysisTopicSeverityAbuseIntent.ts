import type { MigrationInterface, QueryRunner } from 'typeorm';

export class AnalysisTopicSeverityAbuseIntent1795393844878 implements MigrationInterface {
  name = 'AnalysisTopicSeverityAbuseIntent1795393844878';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "post_analysis" ADD "topic" text NOT NULL DEFAULT 'other'`);
    await queryRunner.query(`ALTER TABLE "post_analysis" ADD "severity" text NOT NULL DEFAULT 'low'`);
    await queryRunner.query(`ALTER TABLE "post_analysis" ADD "severity_why" jsonb NOT NULL DEFAULT '[]'`);
    await queryRunner.query(`ALTER TABLE "post_analysis" ADD "abusive" boolean NOT NULL DEFAULT false`);
    await queryRunner.query(`ALTER TABLE "post_analysis" ADD "intent" text NOT NULL DEFAULT 'other'`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "post_analysis" DROP COLUMN "intent"`);
    await queryRunner.query(`ALTER TABLE "post_analysis" DROP COLUMN "abusive"`);
    await queryRunner.query(`ALTER TABLE "post_analysis" DROP COLUMN "severity_why"`);
    await queryRunner.query(`ALTER TABLE "post_analysis" DROP COLUMN "severity"`);
    await queryRunner.query(`ALTER TABLE "post_analysis" DROP COLUMN "topic"`);
  }
}
