/** The legend of the one palette: what every colour and mark on screen means, each in one plain sentence. */
import type { ReplyOutcome } from '../../../dissectors/app/types';
import { CREDENTIAL_SENTENCE, OUTCOME_TEXT, PACKET_RULE_TEXT, TLS_SENTENCE } from '../palette/palette';
import { KeyGlyph } from './KeyIcon';

const OUTCOMES: ReplyOutcome[] = ['positive', 'intermediate', 'transient-negative', 'permanent-negative'];

export function Legend() {
  return (
    <div className="legend" data-testid="legend" role="group" aria-label="Colour legend">
      <span className="legend-items">
        {OUTCOMES.map((o) => (
          <span key={o} className={`legend-item outcome-${o}`}>
            <span className="swatch" aria-hidden="true" />
            {OUTCOME_TEXT[o].name}
          </span>
        ))}
        <span className="legend-item">
          <KeyGlyph />
          credentials
        </span>
        <span className="legend-item kind-tls">
          <span className="swatch" aria-hidden="true" />
          TLS
        </span>
        {(['bad-tcp', 'rst', 'syn-fin'] as const).map((r) => (
          <span key={r} className={`legend-item chip rule-${r}`}>
            {PACKET_RULE_TEXT[r]!.name}
          </span>
        ))}
      </span>
      <details className="legend-more">
        <summary>What the colours mean</summary>
        <ul>
          {OUTCOMES.map((o) => (
            <li key={o}>{OUTCOME_TEXT[o].sentence}</li>
          ))}
          <li>Dark grey arrows: commands, data, and replies without a class.</li>
          <li>{CREDENTIAL_SENTENCE}</li>
          <li>{TLS_SENTENCE}</li>
          {(['bad-tcp', 'rst', 'syn-fin'] as const).map((r) => (
            <li key={r}>{PACKET_RULE_TEXT[r]!.sentence}</li>
          ))}
          <li>
            Packet list tints: light colours by protocol (HTTP green, SMTP pale green, POP3 lilac, FTP sand,
            TCP lavender, UDP blue), as Wireshark does.
          </li>
        </ul>
      </details>
    </div>
  );
}
