import { existsSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

// The nearest folder with a package.json: the same from test/ and from a compiled copy in dist-bench/.
function projectRoot(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  while (!existsSync(resolve(dir, 'package.json')) || dir.endsWith('dist-bench')) {
    const parent = dirname(dir);
    if (parent === dir) throw new Error('No package.json above test/support');
    dir = parent;
  }
  return dir;
}

export const PROJECT_ROOT = projectRoot();
export const TMP_DIR = resolve(PROJECT_ROOT, '.tmp');
