import type { MigrationInterface, QueryRunner } from 'typeorm';

export class CustomersNotesGoodwill1796178098973 implements MigrationInterface {
  name = 'CustomersNotesGoodwill1796178098973';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`CREATE TABLE "customer" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "brand_id" text NOT NULL, "display_name" text NOT NULL, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL, CONSTRAINT "PK_a7a13f4cacb744524e44dfdad32" PRIMARY KEY ("id"))`);
    await queryRunner.query(`CREATE TABLE "compensation" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "brand_id" text NOT NULL, "case_id" uuid NOT NULL, "amount_minor" bigint NOT NULL, "currency" text NOT NULL, "description" text NOT NULL, "status" text NOT NULL, "budget_month" text NOT NULL, "offered_by" text NOT NULL, "offered_by_id" text NOT NULL, "offered_at" TIMESTAMP WITH TIME ZONE NOT NULL, "decided_by" text, "decided_at" TIMESTAMP WITH TIME ZONE, "decision_comment" text, CONSTRAINT "ck_compensation_amount" CHECK (amount_minor > 0), CONSTRAINT "PK_bf952396bd443d3efd971adaf2f" PRIMARY KEY ("id"))`);
    await queryRunner.query(`CREATE INDEX "ix_compensation_brand_month" ON "compensation"  ("brand_id", "budget_month") `);
    await queryRunner.query(`CREATE INDEX "ix_compensation_case" ON "compensation"  ("case_id") `);
    await queryRunner.query(`CREATE TABLE "goodwill_spend" ("brand_id" text NOT NULL, "agent_id" text NOT NULL, "month" text NOT NULL, "agent" text NOT NULL, "spent_minor" bigint NOT NULL, CONSTRAINT "PK_f55a00198e5c1b7c4e146f24bde" PRIMARY KEY ("brand_id", "agent_id", "month"))`);
    await queryRunner.query(`CREATE TABLE "customer_author" ("brand_id" text NOT NULL, "author_id" uuid NOT NULL, "customer_id" uuid NOT NULL, "linked_at" TIMESTAMP WITH TIME ZONE NOT NULL, "linked_by" text NOT NULL, CONSTRAINT "PK_7aa471a41adeac8aa2463fc85a4" PRIMARY KEY ("brand_id", "author_id"))`);
    await queryRunner.query(`CREATE INDEX "ix_customer_author_customer" ON "customer_author"  ("customer_id") `);
    await queryRunner.query(`CREATE TABLE "note" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "brand_id" text NOT NULL, "case_id" uuid, "customer_id" uuid, "text" text NOT NULL, "written_by" text NOT NULL, "written_by_id" text NOT NULL, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL, CONSTRAINT "ck_note_about_one" CHECK ((case_id IS NULL) <> (customer_id IS NULL)), CONSTRAINT "PK_96d0c172a4fba276b1bbed43058" PRIMARY KEY ("id"))`);
    await queryRunner.query(`CREATE INDEX "ix_note_customer_created" ON "note"  ("customer_id", "created_at") `);
    await queryRunner.query(`CREATE INDEX "ix_note_case_created" ON "note"  ("case_id", "created_at") `);
    await queryRunner.query(`CREATE TABLE "notification" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "brand_id" text NOT NULL, "recipient_role" text, "recipient_user" text, "kind" text NOT NULL, "case_id" uuid, "data" jsonb NOT NULL DEFAULT '{}', "created_at" TIMESTAMP WITH TIME ZONE NOT NULL, "read_at" TIMESTAMP WITH TIME ZONE, "read_by" text, CONSTRAINT "ck_notification_recipient" CHECK (recipient_role IS NOT NULL OR recipient_user IS NOT NULL), CONSTRAINT "PK_705b6c7cdf9b2c2ff7ac7872cb7" PRIMARY KEY ("id"))`);
    await queryRunner.query(`CREATE INDEX "ix_notification_brand_created" ON "notification"  ("brand_id", "created_at") `);
    await queryRunner.query(`ALTER TABLE "case" ADD "priority_why" jsonb NOT NULL DEFAULT '[]'`);
    await queryRunner.query(`ALTER TABLE "case" ADD "first_time_fix_verdict" text`);
    await queryRunner.query(`ALTER TABLE "case" ADD "first_time_fix_why" jsonb NOT NULL DEFAULT '[]'`);
    await queryRunner.query(`CREATE INDEX "ix_post_author_posted_at" ON "post"  ("author_id", "posted_at") `);
    await queryRunner.query(`CREATE INDEX "ix_case_ftf_pending" ON "case"  ("customer_id", "resolved_at") WHERE first_time_fix_verdict = 'pending'`);
    await queryRunner.query(`CREATE INDEX "ix_case_customer_created" ON "case"  ("customer_id", "created_at") `);
    await queryRunner.query(`ALTER TABLE "case" ADD CONSTRAINT "FK_6cc266e6e2488de69f395f46f9b" FOREIGN KEY ("customer_id") REFERENCES "customer"("id") ON DELETE SET NULL ON UPDATE NO ACTION`);
    await queryRunner.query(`ALTER TABLE "compensation" ADD CONSTRAINT "FK_be9f172843691c12116389f09b3" FOREIGN KEY ("case_id") REFERENCES "case"("id") ON DELETE CASCADE ON UPDATE NO ACTION`);
    await queryRunner.query(`ALTER TABLE "customer_author" ADD CONSTRAINT "FK_ab658bf3a732ea1633ccdb96499" FOREIGN KEY ("author_id") REFERENCES "author"("id") ON DELETE CASCADE ON UPDATE NO ACTION`);
    await queryRunner.query(`ALTER TABLE "customer_author" ADD CONSTRAINT "FK_01cd2d42b0b0cfb9bc8f0e7048d" FOREIGN KEY ("customer_id") REFERENCES "customer"("id") ON DELETE CASCADE ON UPDATE NO ACTION`);
    await queryRunner.query(`ALTER TABLE "note" ADD CONSTRAINT "FK_90f18950bda5b495f793c2e8bd1" FOREIGN KEY ("case_id") REFERENCES "case"("id") ON DELETE CASCADE ON UPDATE NO ACTION`);
    await queryRunner.query(`ALTER TABLE "note" ADD CONSTRAINT "FK_96358fe4f7c932bdb72ce2f72f1" FOREIGN KEY ("customer_id") REFERENCES "customer"("id") ON DELETE CASCADE ON UPDATE NO ACTION`);
    await queryRunner.query(`ALTER TABLE "notification" ADD CONSTRAINT "FK_ac5f81d86d3eeb07664b674f794" FOREIGN KEY ("case_id") REFERENCES "case"("id") ON DELETE CASCADE ON UPDATE NO ACTION`);
    // The cases already there: each author gets the customer intake would have made for it (the same
    // id), each case its priority's one known factor, and each resolved case the verdict its
    // history gives (no once reopened, else pending).
    await queryRunner.query(`INSERT INTO "customer" (id, brand_id, display_name, created_at)
      SELECT overlay(overlay(md5(c.brand_id || '/' || c.author_id::text) placing '8' from 13) placing '8' from 17)::uuid, c.brand_id, coalesce(nullif(min(a.display_name), ''), min(a.handle)), min(c.created_at)
      FROM "case" c JOIN author a ON a.id = c.author_id GROUP BY c.brand_id, c.author_id`);
    await queryRunner.query(`INSERT INTO "customer_author" (brand_id, author_id, customer_id, linked_at, linked_by)
      SELECT brand_id, author_id, overlay(overlay(md5(brand_id || '/' || author_id::text) placing '8' from 13) placing '8' from 17)::uuid, min(created_at), 'paradox' FROM "case" GROUP BY brand_id, author_id`);
    await queryRunner.query(`UPDATE "case" SET customer_id = overlay(overlay(md5(brand_id || '/' || author_id::text) placing '8' from 13) placing '8' from 17)::uuid WHERE customer_id IS NULL`);
    await queryRunner.query(`UPDATE "case" SET priority_why = jsonb_build_array(jsonb_build_object(
      'factor', CASE WHEN priority >= 9 THEN 'reopened' ELSE 'complaint' END, 'points', priority, 'why', 'priority set before its factors were kept'))`);
    await queryRunner.query(`UPDATE "case" SET first_time_fix_verdict = CASE WHEN reopen_count > 0 THEN 'no' ELSE 'pending' END,
      first_time_fix_why = CASE WHEN reopen_count > 0
        THEN jsonb_build_array(jsonb_build_object('rule', 'reopened', 'at', to_char(reopened_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')))
        ELSE '[]'::jsonb END
      WHERE resolved_at IS NOT NULL`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "notification" DROP CONSTRAINT "FK_ac5f81d86d3eeb07664b674f794"`);
    await queryRunner.query(`ALTER TABLE "note" DROP CONSTRAINT "FK_96358fe4f7c932bdb72ce2f72f1"`);
    await queryRunner.query(`ALTER TABLE "note" DROP CONSTRAINT "FK_90f18950bda5b495f793c2e8bd1"`);
    await queryRunner.query(`ALTER TABLE "customer_author" DROP CONSTRAINT "FK_01cd2d42b0b0cfb9bc8f0e7048d"`);
    await queryRunner.query(`ALTER TABLE "customer_author" DROP CONSTRAINT "FK_ab658bf3a732ea1633ccdb96499"`);
    await queryRunner.query(`ALTER TABLE "compensation" DROP CONSTRAINT "FK_be9f172843691c12116389f09b3"`);
    await queryRunner.query(`ALTER TABLE "case" DROP CONSTRAINT "FK_6cc266e6e2488de69f395f46f9b"`);
    await queryRunner.query(`DROP INDEX "public"."ix_case_customer_created"`);
    await queryRunner.query(`DROP INDEX "public"."ix_case_ftf_pending"`);
    await queryRunner.query(`DROP INDEX "public"."ix_post_author_posted_at"`);
    await queryRunner.query(`ALTER TABLE "case" DROP COLUMN "first_time_fix_why"`);
    await queryRunner.query(`ALTER TABLE "case" DROP COLUMN "first_time_fix_verdict"`);
    await queryRunner.query(`ALTER TABLE "case" DROP COLUMN "priority_why"`);
    await queryRunner.query(`DROP INDEX "public"."ix_notification_brand_created"`);
    await queryRunner.query(`DROP TABLE "notification"`);
    await queryRunner.query(`DROP INDEX "public"."ix_note_case_created"`);
    await queryRunner.query(`DROP INDEX "public"."ix_note_customer_created"`);
    await queryRunner.query(`DROP TABLE "note"`);
    await queryRunner.query(`DROP INDEX "public"."ix_customer_author_customer"`);
    await queryRunner.query(`DROP TABLE "customer_author"`);
    await queryRunner.query(`DROP TABLE "goodwill_spend"`);
    await queryRunner.query(`DROP INDEX "public"."ix_compensation_case"`);
    await queryRunner.query(`DROP INDEX "public"."ix_compensation_brand_month"`);
    await queryRunner.query(`DROP TABLE "compensation"`);
    await queryRunner.query(`DROP TABLE "customer"`);
  }
}
