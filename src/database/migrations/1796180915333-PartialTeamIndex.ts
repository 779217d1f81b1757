import type { MigrationInterface, QueryRunner } from 'typeorm';

// Written by hand: TypeORM does not see a change to an index's WHERE clause.
export class PartialTeamIndex1796180915333 implements MigrationInterface {
  name = 'PartialTeamIndex1796180915333';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP INDEX "public"."ix_case_team"`);
    await queryRunner.query(`CREATE INDEX "ix_case_team" ON "case" ("team_id") WHERE team_id IS NOT NULL`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP INDEX "public"."ix_case_team"`);
    await queryRunner.query(`CREATE INDEX "ix_case_team" ON "case" ("team_id") `);
  }
}
