import { resolve } from 'node:path';

export const PROJECT_ROOT = resolve(import.meta.dirname, '../..');
export const TMP_DIR = resolve(PROJECT_ROOT, '.tmp');
export const TEMPLATE_FILE = resolve(TMP_DIR, 'pglite-template.tar.gz');
