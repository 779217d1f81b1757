import type { MigrationInterface, QueryRunner } from 'typeorm';

export class AuditEntries1796174521664 implements MigrationInterface {
  name = 'AuditEntries1796174521664';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`CREATE TABLE "audit_entry" ("id" BIGSERIAL NOT NULL, "at" TIMESTAMP WITH TIME ZONE NOT NULL, "actor_id" text NOT NULL, "actor" text NOT NULL, "action" text NOT NULL, "brand_id" text, "case_id" uuid, "reply_id" uuid, "subject" text, "data" jsonb NOT NULL DEFAULT '{}', CONSTRAINT "PK_58a130a4b9da189f46ba2a01801" PRIMARY KEY ("id"))`);
    await queryRunner.query(`CREATE INDEX "ix_audit_entry_brand_at" ON "audit_entry"  ("brand_id", "at") `);
    await queryRunner.query(`CREATE INDEX "ix_audit_entry_case_at" ON "audit_entry"  ("case_id", "at") `);
    await queryRunner.query(`CREATE INDEX "ix_audit_entry_at" ON "audit_entry"  ("at") `);
    // Written by hand (TypeORM does not model triggers): the record is append-only in the database itself.
    await queryRunner.query(`CREATE FUNCTION audit_entry_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN RAISE EXCEPTION 'audit_entry is append-only: % refused', TG_OP USING ERRCODE = 'insufficient_privilege'; END $$`);
    await queryRunner.query(`CREATE TRIGGER audit_entry_no_update BEFORE UPDATE OR DELETE ON "audit_entry" FOR EACH ROW EXECUTE FUNCTION audit_entry_append_only()`);
    await queryRunner.query(`CREATE TRIGGER audit_entry_no_truncate BEFORE TRUNCATE ON "audit_entry" FOR EACH STATEMENT EXECUTE FUNCTION audit_entry_append_only()`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TRIGGER audit_entry_no_truncate ON "audit_entry"`);
    await queryRunner.query(`DROP TRIGGER audit_entry_no_update ON "audit_entry"`);
    await queryRunner.query(`DROP FUNCTION audit_entry_append_only()`);
    await queryRunner.query(`DROP INDEX "public"."ix_audit_entry_at"`);
    await queryRunner.query(`DROP INDEX "public"."ix_audit_entry_case_at"`);
    await queryRunner.query(`DROP INDEX "public"."ix_audit_entry_brand_at"`);
    await queryRunner.query(`DROP TABLE "audit_entry"`);
  }
}
