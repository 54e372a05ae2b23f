/**
 * The sha256 of a body, message or transferred file, for the dissectors: the host's deferred hash
 * when it has one (a helper thread hashes while this thread goes on; the digest is filled into the
 * results before the analysis returns), else an incremental hash whose digest is used at once.
 */
import type { AppContext, LaterHash } from './types';

export function laterHash(ctx: Pick<AppContext, 'createSha256' | 'laterSha256'>): LaterHash {
  if (ctx.laterSha256) return ctx.laterSha256();
  const h = ctx.createSha256();
  return { update: (b) => h.update(b), digest: (use) => use(h.digest()) };
}
