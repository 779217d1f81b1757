import type { MigrationInterface, QueryRunner } from 'typeorm';

export class ReplyTemplatesAndApprovals1796176060729 implements MigrationInterface {
  name = 'ReplyTemplatesAndApprovals1796176060729';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`CREATE TABLE "reply_template" ("brand_id" text NOT NULL, "kind" text NOT NULL, "language" text NOT NULL, "text" text NOT NULL, "updated_by" text NOT NULL, "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL, CONSTRAINT "PK_8514346a42fb4e953416b3101a8" PRIMARY KEY ("brand_id", "kind", "language"))`);
    await queryRunner.query(`ALTER TABLE "reply" ADD "approved_by" text`);
    await queryRunner.query(`ALTER TABLE "reply" ADD "approval_reasons" jsonb`);
    await queryRunner.query(`ALTER TABLE "reply" ADD "original_text" text`);
    await queryRunner.query(`ALTER TABLE "reply" ADD "rejected_at" TIMESTAMP WITH TIME ZONE`);
    await queryRunner.query(`ALTER TABLE "reply" ADD "rejected_by" text`);
    await queryRunner.query(`ALTER TABLE "reply" ADD "approver_comment" text`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "reply" DROP COLUMN "approver_comment"`);
    await queryRunner.query(`ALTER TABLE "reply" DROP COLUMN "rejected_by"`);
    await queryRunner.query(`ALTER TABLE "reply" DROP COLUMN "rejected_at"`);
    await queryRunner.query(`ALTER TABLE "reply" DROP COLUMN "original_text"`);
    await queryRunner.query(`ALTER TABLE "reply" DROP COLUMN "approval_reasons"`);
    await queryRunner.query(`ALTER TABLE "reply" DROP COLUMN "approved_by"`);
    await queryRunner.query(`DROP TABLE "reply_template"`);
  }
}
