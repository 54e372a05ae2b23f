/** node:crypto behind the dissectors' TlsCrypto interface (TLS decryption with the user's key log). */
import { createDecipheriv, createHmac } from 'node:crypto';
import type { TlsCrypto } from '../../dissectors/app/types';

export const nodeTlsCrypto: TlsCrypto = {
  hmac: (hash, key, data) => new Uint8Array(createHmac(hash, key).update(data).digest()),
  aeadOpen(cipher, key, nonce, aad, ciphertext, tag) {
    try {
      const d =
        cipher === 'chacha20-poly1305'
          ? createDecipheriv(cipher, key, nonce, { authTagLength: 16 })
          : createDecipheriv(cipher, key, nonce);
      d.setAAD(aad, { plaintextLength: ciphertext.length });
      d.setAuthTag(tag);
      const a = d.update(ciphertext);
      const b = d.final();
      return new Uint8Array(b.length ? Buffer.concat([a, b]) : a);
    } catch {
      return null; // the tag did not verify (wrong key or changed bytes), or a bad key/nonce length
    }
  },
  cbcDecrypt(cipher, key, iv, data) {
    try {
      const d = createDecipheriv(cipher, key, iv).setAutoPadding(false);
      const a = d.update(data);
      const b = d.final();
      return new Uint8Array(b.length ? Buffer.concat([a, b]) : a);
    } catch {
      return null;
    }
  },
};
