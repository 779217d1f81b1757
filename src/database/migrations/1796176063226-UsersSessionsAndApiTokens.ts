import type { MigrationInterface, QueryRunner } from 'typeorm';

export class UsersSessionsAndApiTokens1796176063226 implements MigrationInterface {
  name = 'UsersSessionsAndApiTokens1796176063226';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`CREATE TABLE "app_user" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "name" text NOT NULL, "email" text NOT NULL, "display_name" text NOT NULL, "password_hash" text NOT NULL, "password_change_required" boolean NOT NULL DEFAULT false, "password_changed_at" TIMESTAMP WITH TIME ZONE NOT NULL, "active" boolean NOT NULL DEFAULT true, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL, "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL, CONSTRAINT "ck_app_user_email_lowercase" CHECK ("email" = lower("email")), CONSTRAINT "ck_app_user_name" CHECK ("name" ~ '^[a-z0-9][a-z0-9._-]*$'), CONSTRAINT "PK_22a5c4a3d9b2fb8e4e73fc4ada1" PRIMARY KEY ("id"))`);
    await queryRunner.query(`CREATE UNIQUE INDEX "uq_app_user_email" ON "app_user"  ("email") `);
    await queryRunner.query(`CREATE UNIQUE INDEX "uq_app_user_name" ON "app_user"  ("name") `);
    await queryRunner.query(`CREATE TABLE "api_token" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "name" text NOT NULL, "token_hash" text NOT NULL, "user_id" uuid, "grants" jsonb, "created_by_id" text NOT NULL, "created_by" text NOT NULL, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL, "last_used_at" TIMESTAMP WITH TIME ZONE, "expires_at" TIMESTAMP WITH TIME ZONE, "revoked_at" TIMESTAMP WITH TIME ZONE, "revoked_by" text, CONSTRAINT "ck_api_token_acts_as" CHECK (("user_id" IS NULL) <> ("grants" IS NULL)), CONSTRAINT "PK_d862311c568d175c26f41bc6f98" PRIMARY KEY ("id"))`);
    await queryRunner.query(`CREATE UNIQUE INDEX "uq_api_token_hash" ON "api_token"  ("token_hash") `);
    await queryRunner.query(`CREATE UNIQUE INDEX "uq_api_token_name" ON "api_token"  ("name") `);
    await queryRunner.query(`CREATE TABLE "role_grant" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "user_id" uuid NOT NULL, "role" text NOT NULL, "brand_id" text, "granted_by" text NOT NULL, "granted_at" TIMESTAMP WITH TIME ZONE NOT NULL, CONSTRAINT "ck_role_grant_role" CHECK ("role" IN ('agent', 'approver', 'manager', 'admin')), CONSTRAINT "PK_b9e50aafa723c536731c38529fb" PRIMARY KEY ("id"))`);
    await queryRunner.query(`CREATE UNIQUE INDEX "uq_role_grant_every_brand" ON "role_grant"  ("user_id", "role") WHERE "brand_id" IS NULL`);
    await queryRunner.query(`CREATE UNIQUE INDEX "uq_role_grant_brand" ON "role_grant"  ("user_id", "role", "brand_id") WHERE "brand_id" IS NOT NULL`);
    await queryRunner.query(`CREATE TABLE "session" ("id_hash" text NOT NULL, "user_id" uuid NOT NULL, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL, "last_seen_at" TIMESTAMP WITH TIME ZONE NOT NULL, "idle_expires_at" TIMESTAMP WITH TIME ZONE NOT NULL, "expires_at" TIMESTAMP WITH TIME ZONE NOT NULL, "ip" text, "user_agent" text, CONSTRAINT "PK_e9476905e96fde31ad0ba43b1d3" PRIMARY KEY ("id_hash"))`);
    await queryRunner.query(`CREATE INDEX "ix_session_expires_at" ON "session"  ("expires_at") `);
    await queryRunner.query(`CREATE INDEX "ix_session_user" ON "session"  ("user_id") `);
    await queryRunner.query(`CREATE TABLE "sign_in_attempt" ("id" BIGSERIAL NOT NULL, "at" TIMESTAMP WITH TIME ZONE NOT NULL, "account" text NOT NULL, "ip" text NOT NULL, "outcome" text NOT NULL, CONSTRAINT "ck_sign_in_attempt_outcome" CHECK ("outcome" IN ('pending', 'failed', 'succeeded', 'throttled')), CONSTRAINT "PK_7708f8d7d88593210f3d359f81d" PRIMARY KEY ("id"))`);
    await queryRunner.query(`CREATE INDEX "ix_sign_in_attempt_at" ON "sign_in_attempt"  ("at") `);
    await queryRunner.query(`CREATE INDEX "ix_sign_in_attempt_ip" ON "sign_in_attempt"  ("ip", "id") `);
    await queryRunner.query(`CREATE INDEX "ix_sign_in_attempt_account" ON "sign_in_attempt"  ("account", "id") `);
    await queryRunner.query(`ALTER TABLE "api_token" ADD CONSTRAINT "FK_1725c5ea908ff009f6ab3fa34fd" FOREIGN KEY ("user_id") REFERENCES "app_user"("id") ON DELETE CASCADE ON UPDATE NO ACTION`);
    await queryRunner.query(`ALTER TABLE "role_grant" ADD CONSTRAINT "FK_cbca8b01eca20fa033ef14946b2" FOREIGN KEY ("user_id") REFERENCES "app_user"("id") ON DELETE CASCADE ON UPDATE NO ACTION`);
    await queryRunner.query(`ALTER TABLE "session" ADD CONSTRAINT "FK_30e98e8746699fb9af235410aff" FOREIGN KEY ("user_id") REFERENCES "app_user"("id") ON DELETE CASCADE ON UPDATE NO ACTION`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "session" DROP CONSTRAINT "FK_30e98e8746699fb9af235410aff"`);
    await queryRunner.query(`ALTER TABLE "role_grant" DROP CONSTRAINT "FK_cbca8b01eca20fa033ef14946b2"`);
    await queryRunner.query(`ALTER TABLE "api_token" DROP CONSTRAINT "FK_1725c5ea908ff009f6ab3fa34fd"`);
    await queryRunner.query(`DROP INDEX "public"."ix_sign_in_attempt_account"`);
    await queryRunner.query(`DROP INDEX "public"."ix_sign_in_attempt_ip"`);
    await queryRunner.query(`DROP INDEX "public"."ix_sign_in_attempt_at"`);
    await queryRunner.query(`DROP TABLE "sign_in_attempt"`);
    await queryRunner.query(`DROP INDEX "public"."ix_session_user"`);
    await queryRunner.query(`DROP INDEX "public"."ix_session_expires_at"`);
    await queryRunner.query(`DROP TABLE "session"`);
    await queryRunner.query(`DROP INDEX "public"."uq_role_grant_brand"`);
    await queryRunner.query(`DROP INDEX "public"."uq_role_grant_every_brand"`);
    await queryRunner.query(`DROP TABLE "role_grant"`);
    await queryRunner.query(`DROP INDEX "public"."uq_api_token_name"`);
    await queryRunner.query(`DROP INDEX "public"."uq_api_token_hash"`);
    await queryRunner.query(`DROP TABLE "api_token"`);
    await queryRunner.query(`DROP INDEX "public"."uq_app_user_name"`);
    await queryRunner.query(`DROP INDEX "public"."uq_app_user_email"`);
    await queryRunner.query(`DROP TABLE "app_user"`);
  }
}
