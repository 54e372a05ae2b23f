/**
 * File → Open Recent, kept across runs in a small JSON file in the app's data folder. Reading is
 * tolerant (a missing or damaged file is an empty list); only absolute paths are kept; no electron.
 */
import { promises as fsp } from 'node:fs';
import { dirname, isAbsolute } from 'node:path';

export const MAX_RECENT = 10;

export function rememberRecent(list: readonly string[], file: string, max = MAX_RECENT): string[] {
  return [file, ...list.filter((f) => f !== file)].slice(0, max);
}

export async function loadRecent(path: string): Promise<string[]> {
  try {
    const v: unknown = JSON.parse(await fsp.readFile(path, 'utf8'));
    if (!Array.isArray(v)) return [];
    return v.filter((f): f is string => typeof f === 'string' && f.length < 4096 && isAbsolute(f)).slice(0, MAX_RECENT);
  } catch {
    return [];
  }
}

export async function saveRecent(path: string, list: readonly string[]): Promise<void> {
  await fsp.mkdir(dirname(path), { recursive: true });
  const temp = `${path}.${process.pid}.tmp`;
  await fsp.writeFile(temp, JSON.stringify(list.slice(0, MAX_RECENT)));
  await fsp.rename(temp, path);
}
