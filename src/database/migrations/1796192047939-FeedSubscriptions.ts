import type { MigrationInterface, QueryRunner } from 'typeorm';

export class FeedSubscriptions1796192047939 implements MigrationInterface {
  name = 'FeedSubscriptions1796192047939';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`CREATE TABLE "feed_subscription" ("source_id" text NOT NULL, "hub_url" text NOT NULL, "topic_url" text NOT NULL, "callback_url" text NOT NULL, "secret" text NOT NULL, "status" text NOT NULL, "requested_at" TIMESTAMP WITH TIME ZONE NOT NULL, "verified_at" TIMESTAMP WITH TIME ZONE, "lease_expires_at" TIMESTAMP WITH TIME ZONE, "last_push_at" TIMESTAMP WITH TIME ZONE, "pushes" integer NOT NULL DEFAULT '0', "refused_pushes" integer NOT NULL DEFAULT '0', "last_error" text, "last_error_at" TIMESTAMP WITH TIME ZONE, CONSTRAINT "PK_7bb5150bb46e2e3a3f90799f4d1" PRIMARY KEY ("source_id"))`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE "feed_subscription"`);
  }
}
