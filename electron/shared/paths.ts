/** Locations inside the installed package (works from the source tree run through tsx). */
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

function findRoot(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (let i = 0; i < 6; i++) {
    if (existsSync(join(dir, 'package.json')) && existsSync(join(dir, 'fixtures'))) return dir;
    dir = dirname(dir);
  }
  return process.cwd();
}

export const PACKAGE_ROOT = findRoot();
export const RENDERER_DIST = join(PACKAGE_ROOT, 'dist', 'renderer');
export const SAMPLE_CAPTURE = join(PACKAGE_ROOT, 'fixtures', 'lessons', 'smtp-pop3-lesson.pcap');
