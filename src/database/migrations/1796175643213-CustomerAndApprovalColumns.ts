import type { MigrationInterface, QueryRunner } from 'typeorm';

export class CustomerAndApprovalColumns1796175643213 implements MigrationInterface {
  name = 'CustomerAndApprovalColumns1796175643213';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "case" ADD "customer_id" uuid`);
    await queryRunner.query(`ALTER TABLE "case" ADD "repeat_failure" boolean NOT NULL DEFAULT false`);
    await queryRunner.query(`ALTER TABLE "reply" ADD "submitted_at" TIMESTAMP WITH TIME ZONE`);
    await queryRunner.query(`ALTER TABLE "reply" ADD "approved_at" TIMESTAMP WITH TIME ZONE`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "reply" DROP COLUMN "approved_at"`);
    await queryRunner.query(`ALTER TABLE "reply" DROP COLUMN "submitted_at"`);
    await queryRunner.query(`ALTER TABLE "case" DROP COLUMN "repeat_failure"`);
    await queryRunner.query(`ALTER TABLE "case" DROP COLUMN "customer_id"`);
  }
}
