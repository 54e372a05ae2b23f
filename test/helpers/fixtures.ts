/** Finds the capture fixtures and their golden files (made by scripts/golden/*.ts with tshark). */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';

export const ROOT = new URL('../../', import.meta.url).pathname;
export const FIXTURES = join(ROOT, 'fixtures');
const CAPTURE_RE = /\.(pcap|pcapng|cap)(\.gz)?$/;

function walk(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) return name === 'golden' ? [] : walk(p);
    return CAPTURE_RE.test(name) ? [p] : [];
  });
}

/** Every capture under fixtures/ (absolute paths, sorted). */
export function captureFixtures(): string[] {
  return walk(FIXTURES).sort();
}

/** fixtures/golden/<area>/<path relative to fixtures with / as __><ext> */
export function goldenPath(area: string, capture: string, ext: string): string {
  return join(FIXTURES, 'golden', area, relative(FIXTURES, capture).replaceAll('/', '__') + ext);
}

export function fixtureName(capture: string): string {
  return relative(FIXTURES, capture);
}

/** Rows of a golden TSV (first line = field names). */
export function readGoldenTsv(path: string): Array<Record<string, string>> | null {
  if (!existsSync(path)) return null;
  const lines = readFileSync(path, 'utf8').split('\n').filter((l) => l.length > 0);
  const names = lines[0].split('\t');
  return lines.slice(1).map((l) => {
    const cells = l.split('\t');
    const row: Record<string, string> = {};
    names.forEach((n, i) => (row[n] = cells[i] ?? ''));
    return row;
  });
}
