import type { MigrationInterface, QueryRunner } from 'typeorm';

export class QueueSlaTeamsAndBulkActions1796176345185 implements MigrationInterface {
  name = 'QueueSlaTeamsAndBulkActions1796176345185';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`CREATE TABLE "team" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "brand_id" text NOT NULL, "name" text NOT NULL, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "uq_team_brand_name" UNIQUE ("brand_id", "name"), CONSTRAINT "PK_f57d8293406df4af348402e4b74" PRIMARY KEY ("id"))`);
    await queryRunner.query(`CREATE TABLE "team_member" ("team_id" uuid NOT NULL, "member" text NOT NULL, "added_by" text NOT NULL, "added_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "PK_e3c8e8b3b07be1a3c2235663df2" PRIMARY KEY ("team_id", "member"))`);
    await queryRunner.query(`ALTER TABLE "case" ADD "sla_started_at" TIMESTAMP WITH TIME ZONE`);
    await queryRunner.query(`ALTER TABLE "case" ADD "sla_stopped_at" TIMESTAMP WITH TIME ZONE`);
    await queryRunner.query(`ALTER TABLE "case" ADD "sla_approval_waits" jsonb NOT NULL DEFAULT '[]'`);
    await queryRunner.query(`ALTER TABLE "case" ADD "ack_breached_at" TIMESTAMP WITH TIME ZONE`);
    await queryRunner.query(`ALTER TABLE "case" ADD "first_response_due_at" TIMESTAMP WITH TIME ZONE`);
    await queryRunner.query(`ALTER TABLE "case" ADD "first_responded_at" TIMESTAMP WITH TIME ZONE`);
    await queryRunner.query(`ALTER TABLE "case" ADD "first_response_breached_at" TIMESTAMP WITH TIME ZONE`);
    await queryRunner.query(`ALTER TABLE "case" ADD "resolution_due_at" TIMESTAMP WITH TIME ZONE`);
    await queryRunner.query(`ALTER TABLE "case" ADD "resolution_breached_at" TIMESTAMP WITH TIME ZONE`);
    await queryRunner.query(`ALTER TABLE "case" ADD "team_id" uuid`);
    await queryRunner.query(`ALTER TABLE "case" ADD "transfer_count" integer NOT NULL DEFAULT '0'`);
    await queryRunner.query(`ALTER TABLE "case" ADD "dismissed_at" TIMESTAMP WITH TIME ZONE`);
    await queryRunner.query(`ALTER TABLE "case" ADD "merged_into_id" uuid`);
    await queryRunner.query(`ALTER TABLE "case" ADD "merged_at" TIMESTAMP WITH TIME ZONE`);
    await queryRunner.query(`CREATE INDEX "ix_case_team" ON "case"  ("team_id") `);
    await queryRunner.query(`ALTER TABLE "team_member" ADD CONSTRAINT "FK_a1b5b4f5fa1b7f890d0a278748b" FOREIGN KEY ("team_id") REFERENCES "team"("id") ON DELETE CASCADE ON UPDATE NO ACTION`);
    await queryRunner.query(`ALTER TABLE "case" ADD CONSTRAINT "FK_a2245725360f7d127d2cc802890" FOREIGN KEY ("team_id") REFERENCES "team"("id") ON DELETE SET NULL ON UPDATE NO ACTION`);
    await queryRunner.query(`ALTER TABLE "case" ADD CONSTRAINT "FK_64b637c1d6856a4c00478a732b4" FOREIGN KEY ("merged_into_id") REFERENCES "case"("id") ON DELETE SET NULL ON UPDATE NO ACTION`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "case" DROP CONSTRAINT "FK_64b637c1d6856a4c00478a732b4"`);
    await queryRunner.query(`ALTER TABLE "case" DROP CONSTRAINT "FK_a2245725360f7d127d2cc802890"`);
    await queryRunner.query(`ALTER TABLE "team_member" DROP CONSTRAINT "FK_a1b5b4f5fa1b7f890d0a278748b"`);
    await queryRunner.query(`DROP INDEX "public"."ix_case_team"`);
    await queryRunner.query(`ALTER TABLE "case" DROP COLUMN "merged_at"`);
    await queryRunner.query(`ALTER TABLE "case" DROP COLUMN "merged_into_id"`);
    await queryRunner.query(`ALTER TABLE "case" DROP COLUMN "dismissed_at"`);
    await queryRunner.query(`ALTER TABLE "case" DROP COLUMN "transfer_count"`);
    await queryRunner.query(`ALTER TABLE "case" DROP COLUMN "team_id"`);
    await queryRunner.query(`ALTER TABLE "case" DROP COLUMN "resolution_breached_at"`);
    await queryRunner.query(`ALTER TABLE "case" DROP COLUMN "resolution_due_at"`);
    await queryRunner.query(`ALTER TABLE "case" DROP COLUMN "first_response_breached_at"`);
    await queryRunner.query(`ALTER TABLE "case" DROP COLUMN "first_responded_at"`);
    await queryRunner.query(`ALTER TABLE "case" DROP COLUMN "first_response_due_at"`);
    await queryRunner.query(`ALTER TABLE "case" DROP COLUMN "ack_breached_at"`);
    await queryRunner.query(`ALTER TABLE "case" DROP COLUMN "sla_approval_waits"`);
    await queryRunner.query(`ALTER TABLE "case" DROP COLUMN "sla_stopped_at"`);
    await queryRunner.query(`ALTER TABLE "case" DROP COLUMN "sla_started_at"`);
    await queryRunner.query(`DROP TABLE "team_member"`);
    await queryRunner.query(`DROP TABLE "team"`);
  }
}
