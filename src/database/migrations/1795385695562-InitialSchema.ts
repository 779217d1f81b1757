import type { MigrationInterface, QueryRunner } from 'typeorm';

export class InitialSchema1795385695562 implements MigrationInterface {
  name = 'InitialSchema1795385695562';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`CREATE TABLE "author" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "platform" text NOT NULL, "external_id" text NOT NULL, "handle" text NOT NULL, "display_name" text, "followers" integer, "first_seen_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "uq_author_platform_external_id" UNIQUE ("platform", "external_id"), CONSTRAINT "PK_5a0e79799d372fe56f2f3fa6871" PRIMARY KEY ("id"))`);
    await queryRunner.query(`CREATE TABLE "post" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "brand_id" text NOT NULL, "source_id" text NOT NULL, "platform" text NOT NULL, "external_id" text NOT NULL, "author_id" uuid NOT NULL, "url" text, "text" text NOT NULL, "declared_language" text, "visibility" text NOT NULL, "posted_at" TIMESTAMP WITH TIME ZONE NOT NULL, "fetched_at" TIMESTAMP WITH TIME ZONE NOT NULL, "in_reply_to_external_id" text, "root_external_id" text NOT NULL, "raw" jsonb NOT NULL, CONSTRAINT "uq_post_platform_external_id" UNIQUE ("platform", "external_id"), CONSTRAINT "PK_be5fda3aac270b134ff9c21cdee" PRIMARY KEY ("id"))`);
    await queryRunner.query(`CREATE INDEX "ix_post_brand_posted_at" ON "post"  ("brand_id", "posted_at") `);
    await queryRunner.query(`CREATE TABLE "post_analysis" ("post_id" uuid NOT NULL, "language" text NOT NULL, "sentiment_score" real NOT NULL, "sentiment_label" text NOT NULL, "complaint_probability" real NOT NULL, "is_complaint" boolean NOT NULL, "why" jsonb NOT NULL, "model_version" text NOT NULL, "analysed_at" TIMESTAMP WITH TIME ZONE NOT NULL, CONSTRAINT "PK_b6ba555713fdd76d0d9db9f2c26" PRIMARY KEY ("post_id"))`);
    await queryRunner.query(`CREATE TABLE "case" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "number" SERIAL NOT NULL, "brand_id" text NOT NULL, "source_id" text NOT NULL, "platform" text NOT NULL, "author_id" uuid NOT NULL, "thread_root_external_id" text NOT NULL, "first_post_id" uuid NOT NULL, "language" text NOT NULL, "status" text NOT NULL, "priority" integer NOT NULL, "ack_due_at" TIMESTAMP WITH TIME ZONE NOT NULL, "acknowledged_at" TIMESTAMP WITH TIME ZONE, "claimed_by" text, "claim_expires_at" TIMESTAMP WITH TIME ZONE, "resolved_at" TIMESTAMP WITH TIME ZONE, "resolved_by" text, "resolution_note" text, "first_time_fix" boolean, "follow_up_due_at" TIMESTAMP WITH TIME ZONE, "follow_up_sent_at" TIMESTAMP WITH TIME ZONE, "recovered_at" TIMESTAMP WITH TIME ZONE, "reopened_at" TIMESTAMP WITH TIME ZONE, "reopen_count" integer NOT NULL DEFAULT '0', "last_post_at" TIMESTAMP WITH TIME ZONE NOT NULL, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "UQ_8cf7d3e75b7dd1eced77de0f14c" UNIQUE ("number"), CONSTRAINT "PK_a1b20a2aef6fc438389d2c4aca0" PRIMARY KEY ("id"))`);
    await queryRunner.query(`CREATE INDEX "ix_case_queue" ON "case"  ("status", "priority", "ack_due_at") `);
    await queryRunner.query(`CREATE UNIQUE INDEX "uq_case_active_thread" ON "case"  ("brand_id", "author_id", "thread_root_external_id") WHERE status IN ('open', 'acknowledged', 'resolved', 'follow_up_sent')`);
    await queryRunner.query(`CREATE TABLE "case_event" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "case_id" uuid NOT NULL, "at" TIMESTAMP WITH TIME ZONE NOT NULL, "seq" BIGSERIAL NOT NULL, "type" text NOT NULL, "actor" text NOT NULL, "post_id" uuid, "data" jsonb NOT NULL DEFAULT '{}', CONSTRAINT "PK_5b6e18b2d4fd178711a2269645e" PRIMARY KEY ("id"))`);
    await queryRunner.query(`CREATE INDEX "ix_case_event_case_at" ON "case_event"  ("case_id", "at") `);
    await queryRunner.query(`CREATE TABLE "thread_link" ("platform" text NOT NULL, "external_id" text NOT NULL, "case_id" uuid NOT NULL, CONSTRAINT "PK_13c4893e680ea7ed8ffd4f19883" PRIMARY KEY ("platform", "external_id"))`);
    await queryRunner.query(`CREATE TABLE "reply" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "case_id" uuid NOT NULL, "source_id" text NOT NULL, "platform" text NOT NULL, "kind" text NOT NULL, "text" text NOT NULL, "language" text NOT NULL, "visibility" text NOT NULL, "in_reply_to_external_id" text NOT NULL, "in_reply_to_handle" text NOT NULL, "idempotency_key" uuid NOT NULL, "status" text NOT NULL, "not_before" TIMESTAMP WITH TIME ZONE NOT NULL, "attempts" integer NOT NULL DEFAULT '0', "lease_until" TIMESTAMP WITH TIME ZONE, "last_error" text, "external_id" text, "external_url" text, "published_at" TIMESTAMP WITH TIME ZONE, "created_by" text NOT NULL, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "UQ_0cacd845faab49afea72ed6993d" UNIQUE ("idempotency_key"), CONSTRAINT "PK_94fa9017051b40a71e000a2aff9" PRIMARY KEY ("id"))`);
    await queryRunner.query(`CREATE INDEX "ix_reply_due" ON "reply"  ("status", "not_before") `);
    await queryRunner.query(`CREATE TABLE "source_state" ("source_id" text NOT NULL, "platform" text NOT NULL, "cursor" jsonb NOT NULL DEFAULT '{}', "own_account_id" text, "own_account_handle" text, "healthy" boolean NOT NULL DEFAULT true, "consecutive_failures" integer NOT NULL DEFAULT '0', "last_polled_at" TIMESTAMP WITH TIME ZONE, "last_success_at" TIMESTAMP WITH TIME ZONE, "last_error" text, "last_error_at" TIMESTAMP WITH TIME ZONE, "backoff_until" TIMESTAMP WITH TIME ZONE, "rate_limit_remaining" integer, "rate_limit_reset_at" TIMESTAMP WITH TIME ZONE, "lease_until" TIMESTAMP WITH TIME ZONE, "posts_ingested" integer NOT NULL DEFAULT '0', CONSTRAINT "PK_6e59917fcbfb83777762ade75ed" PRIMARY KEY ("source_id"))`);
    await queryRunner.query(`ALTER TABLE "post" ADD CONSTRAINT "FK_2f1a9ca8908fc8168bc18437f62" FOREIGN KEY ("author_id") REFERENCES "author"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`);
    await queryRunner.query(`ALTER TABLE "post_analysis" ADD CONSTRAINT "FK_b6ba555713fdd76d0d9db9f2c26" FOREIGN KEY ("post_id") REFERENCES "post"("id") ON DELETE CASCADE ON UPDATE NO ACTION`);
    await queryRunner.query(`ALTER TABLE "case_event" ADD CONSTRAINT "FK_85962fcd8d72296385c01a5dd45" FOREIGN KEY ("case_id") REFERENCES "case"("id") ON DELETE CASCADE ON UPDATE NO ACTION`);
    await queryRunner.query(`ALTER TABLE "case_event" ADD CONSTRAINT "FK_64fb7939473ce4645de1eeadc56" FOREIGN KEY ("post_id") REFERENCES "post"("id") ON DELETE SET NULL ON UPDATE NO ACTION`);
    await queryRunner.query(`ALTER TABLE "thread_link" ADD CONSTRAINT "FK_c3aa20a9dc2f54975d51ed40fae" FOREIGN KEY ("case_id") REFERENCES "case"("id") ON DELETE CASCADE ON UPDATE NO ACTION`);
    await queryRunner.query(`ALTER TABLE "reply" ADD CONSTRAINT "FK_7763d03f494e946fc2248c82c1d" FOREIGN KEY ("case_id") REFERENCES "case"("id") ON DELETE CASCADE ON UPDATE NO ACTION`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "reply" DROP CONSTRAINT "FK_7763d03f494e946fc2248c82c1d"`);
    await queryRunner.query(`ALTER TABLE "thread_link" DROP CONSTRAINT "FK_c3aa20a9dc2f54975d51ed40fae"`);
    await queryRunner.query(`ALTER TABLE "case_event" DROP CONSTRAINT "FK_64fb7939473ce4645de1eeadc56"`);
    await queryRunner.query(`ALTER TABLE "case_event" DROP CONSTRAINT "FK_85962fcd8d72296385c01a5dd45"`);
    await queryRunner.query(`ALTER TABLE "post_analysis" DROP CONSTRAINT "FK_b6ba555713fdd76d0d9db9f2c26"`);
    await queryRunner.query(`ALTER TABLE "post" DROP CONSTRAINT "FK_2f1a9ca8908fc8168bc18437f62"`);
    await queryRunner.query(`DROP TABLE "source_state"`);
    await queryRunner.query(`DROP INDEX "public"."ix_reply_due"`);
    await queryRunner.query(`DROP TABLE "reply"`);
    await queryRunner.query(`DROP TABLE "thread_link"`);
    await queryRunner.query(`DROP INDEX "public"."ix_case_event_case_at"`);
    await queryRunner.query(`DROP TABLE "case_event"`);
    await queryRunner.query(`DROP INDEX "public"."uq_case_active_thread"`);
    await queryRunner.query(`DROP INDEX "public"."ix_case_queue"`);
    await queryRunner.query(`DROP TABLE "case"`);
    await queryRunner.query(`DROP TABLE "post_analysis"`);
    await queryRunner.query(`DROP INDEX "public"."ix_post_brand_posted_at"`);
    await queryRunner.query(`DROP TABLE "post"`);
    await queryRunner.query(`DROP TABLE "author"`);
  }
}
