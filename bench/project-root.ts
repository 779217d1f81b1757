import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';

// Compiled to dist-bench/bench, where test/support's PROJECT_ROOT lands inside dist-bench:
// the real root is the nearest folder up with a package.json (dist-bench has none).
export function projectRoot(from: string = import.meta.dirname): string {
  for (let dir = from; ; dir = dirname(dir)) {
    if (existsSync(join(dir, 'package.json'))) return dir;
    if (dirname(dir) === dir) throw new Error(`no package.json above ${from}`);
  }
}
