/**
 * A LaterHash over an incremental hash of this thread: its digest is used at once. The host's
 * AppContext.laterSha256 gives this when no helper thread hashes (and tests give it to dissectors).
 */
import type { LaterHash, Sha256Hashes } from './types';

export function laterHash(hashes: Pick<Sha256Hashes, 'createSha256'>): LaterHash {
  const h = hashes.createSha256();
  return { update: (b) => h.update(b), digest: (use) => use(h.digest()) };
}
