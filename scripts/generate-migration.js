// Writes a TypeORM migration for the difference between the entities and the migrated schema
// (what `typeorm migration:generate` does), against a fresh embedded database or DATABASE_URL.
// Usage: npm run migration:generate -- AddSomethingToCase
import { readFileSync, writeFileSync } from 'node:fs';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DataSource } from 'typeorm';
import { dataSourceOptions } from '../dist/database/data-source-options.js';
import { startEmbeddedDatabase } from '../dist/database/embedded-database.js';

const name = process.argv[2];
if (!/^[A-Z][A-Za-z0-9]+$/.test(name ?? '')) {
  process.stderr.write('usage: npm run migration:generate -- NameInPascalCase\n');
  process.exit(2);
}
const dir = mkdtempSync(join(tmpdir(), 'paradox-migrate-'));
const embedded = process.env.DATABASE_URL ? null : await startEmbeddedDatabase({ dataDir: dir });
const ds = new DataSource(dataSourceOptions(process.env.DATABASE_URL ?? embedded.url, 1));
try {
  await ds.initialize();
  await ds.runMigrations();
  const sql = await ds.driver.createSchemaBuilder().log();
  if (sql.upQueries.length === 0) {
    process.stdout.write('No changes: the migrations already match the entities.\n');
  } else {
    const stamp = Date.now();
    const q = (s) => '`' + s.replaceAll('\\', '\\\\').replaceAll('`', '\\`').replaceAll('${', '\\${') + '`';
    const lines = (qs) => qs.map((x) => `    await queryRunner.query(${q(x.query)});`).join('\n');
    const body = `import type { MigrationInterface, QueryRunner } from 'typeorm';

export class ${name}${stamp} implements MigrationInterface {
  name = '${name}${stamp}';

  async up(queryRunner: QueryRunner): Promise<void> {
${lines(sql.upQueries)}
  }

  async down(queryRunner: QueryRunner): Promise<void> {
${lines(sql.downQueries.reverse())}
  }
}
`;
    const file = `src/database/migrations/${stamp}-${name}.ts`;
    writeFileSync(file, body);
    const index = 'src/database/migrations/index.ts';
    const imports = readFileSync(index, 'utf8').split('\n').filter((l) => l.startsWith('import '));
    imports.push(`import { ${name}${stamp} } from './${stamp}-${name}.js';`);
    const classes = imports.map((l) => l.match(/import \{ (\w+) \}/)[1]);
    writeFileSync(index, `${imports.join('\n')}\n\nexport const MIGRATIONS = [${classes.join(', ')}];\n`);
    process.stdout.write(`Wrote ${file}\n`);
  }
} finally {
  await ds.destroy().catch(() => {});
  await embedded?.stop();
  rmSync(dir, { recursive: true, force: true });
}
