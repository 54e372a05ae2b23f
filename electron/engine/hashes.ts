import { createHash } from 'node:crypto';
import type { HashProvider } from '../../dissectors/analysis/types';

/** node:crypto behind the dissectors' HashProvider interface. */
export const nodeHashes: HashProvider = {
  sha256: (b) => createHash('sha256').update(b).digest('hex'),
  md5: (b) => createHash('md5').update(b).digest('hex'),
  createSha256: () => {
    const h = createHash('sha256');
    return {
      update: (b: Uint8Array) => void h.update(b),
      digest: () => h.digest('hex'),
    };
  },
};
