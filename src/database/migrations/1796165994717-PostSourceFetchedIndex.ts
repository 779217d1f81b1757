import type { MigrationInterface, QueryRunner } from 'typeorm';

export class PostSourceFetchedIndex1796165994717 implements MigrationInterface {
  name = 'PostSourceFetchedIndex1796165994717';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`CREATE INDEX "ix_post_source_fetched_at" ON "post"  ("source_id", "fetched_at") `);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP INDEX "public"."ix_post_source_fetched_at"`);
  }
}
