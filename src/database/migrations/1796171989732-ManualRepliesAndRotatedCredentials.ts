import type { MigrationInterface, QueryRunner } from 'typeorm';

export class ManualRepliesAndRotatedCredentials1796171989732 implements MigrationInterface {
  name = 'ManualRepliesAndRotatedCredentials1796171989732';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "reply" ADD "manual" boolean NOT NULL DEFAULT false`);
    await queryRunner.query(`ALTER TABLE "reply" ADD "published_by" text`);
    await queryRunner.query(`ALTER TABLE "source_state" ADD "credentials" jsonb`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "source_state" DROP COLUMN "credentials"`);
    await queryRunner.query(`ALTER TABLE "reply" DROP COLUMN "published_by"`);
    await queryRunner.query(`ALTER TABLE "reply" DROP COLUMN "manual"`);
  }
}
