/**
 * The TLS of a connection in plain words (which name the client asked for, what they agreed on, who
 * vouches for the server, from where on the bytes are unreadable); the fingerprints and offered
 * lists, for experts, behind a disclosure.
 */
import type { TlsSummary as Tls } from '../../../dissectors/app/types';
import { visible } from '../text/visible';

export function TlsSummary({ tls }: { tls: Tls }) {
  const ch = tls.clientHello;
  const sh = tls.serverHello;
  return (
    <details className="tls-summary" data-testid="tls-summary" open>
      <summary>
        TLS{tls.upgrade ? ` (after ${tls.upgrade.toUpperCase()})` : ' (implicit)'}: encrypted from frame{' '}
        {tls.encryptedFrom.client ?? '—'}
      </summary>
      {ch && (
        <p>
          ClientHello (frame {ch.frame}): SNI {visible(ch.sni ?? '(none)')} — the name of the server the
          client wants{ch.sni ? '' : ' (it sent none)'}.
        </p>
      )}
      {sh && (
        <p>
          ServerHello (frame {sh.frame}): they agree on {sh.version} and the cipher suite {sh.cipher}.
        </p>
      )}
      {tls.certificates.map((c, i) => (
        <p key={i}>
          Certificate: {visible(c.subject)} — issued by {visible(c.issuer)}
        </p>
      ))}
      <p>
        Encrypted from frame {tls.encryptedFrom.client ?? '—'} (client) and {tls.encryptedFrom.server ?? '—'}{' '}
        (server): {tls.encryptedRecords.client + tls.encryptedRecords.server} records that a capture cannot
        read.
      </p>
      {ch && (
        <details className="expert" data-testid="tls-expert">
          <summary>For experts: offered versions, ALPN, fingerprints</summary>
          <p>
            Offers {ch.versions.length ? ch.versions.join(', ') : ch.legacyVersion}
            {ch.alpn.length ? `, ALPN ${visible(ch.alpn.join(', '))}` : ''}; JA3 {ch.ja3Hash} · JA4 {ch.ja4}
          </p>
        </details>
      )}
    </details>
  );
}
