import type { MigrationInterface, QueryRunner } from 'typeorm';

export class PostLabels1795394419936 implements MigrationInterface {
  name = 'PostLabels1795394419936';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`CREATE TABLE "post_label" ("post_id" uuid NOT NULL, "brand_id" text NOT NULL, "is_complaint" boolean, "topic" text, "labelled_by" text NOT NULL, "labelled_at" TIMESTAMP WITH TIME ZONE NOT NULL, CONSTRAINT "PK_848d1c4e6121f6aa5cedebf5533" PRIMARY KEY ("post_id"))`);
    await queryRunner.query(`CREATE INDEX "ix_post_label_brand_at" ON "post_label"  ("brand_id", "labelled_at") `);
    await queryRunner.query(`ALTER TABLE "post_label" ADD CONSTRAINT "FK_848d1c4e6121f6aa5cedebf5533" FOREIGN KEY ("post_id") REFERENCES "post"("id") ON DELETE CASCADE ON UPDATE NO ACTION`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "post_label" DROP CONSTRAINT "FK_848d1c4e6121f6aa5cedebf5533"`);
    await queryRunner.query(`DROP INDEX "public"."ix_post_label_brand_at"`);
    await queryRunner.query(`DROP TABLE "post_label"`);
  }
}
