import type { MigrationInterface, QueryRunner } from 'typeorm';

export class TimelinePostsFromThreadLinks1795391979601 implements MigrationInterface {
  name = 'TimelinePostsFromThreadLinks1795391979601';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`CREATE INDEX "ix_thread_link_case" ON "thread_link"  ("case_id") `);
    // A case's posts are read from its thread links now; the copies on the timeline go.
    await queryRunner.query(`DELETE FROM "case_event" WHERE "type" = 'post'`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `INSERT INTO "case_event" ("case_id", "at", "type", "actor", "post_id") SELECT l."case_id", p."posted_at", 'post', a."handle", p."id"
       FROM "thread_link" l JOIN "post" p ON p."platform" = l."platform" AND p."external_id" = l."external_id" JOIN "author" a ON a."id" = p."author_id"
       ORDER BY p."posted_at"`,
    );
    await queryRunner.query(`DROP INDEX "public"."ix_thread_link_case"`);
  }
}
