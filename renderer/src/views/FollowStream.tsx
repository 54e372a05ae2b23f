/**
 * Follow TCP Stream: the connection's conversation as text, client and server turns distinguished,
 * gaps shown as "[N bytes missing]". Payload bytes are shown as text only (control characters made
 * visible), never interpreted.
 */
import { useEffect, useState } from 'react';
import type { CaptureId, EngineApi, FollowResult } from '../../../api/engine-api';
import { latin1 } from '../../../dissectors/model/bytes-text';
import { fromBase64, visible } from '../text/visible';

const SHOW_MAX = 256 * 1024;

export function FollowStream(props: { engine: EngineApi; captureId: CaptureId; connection: number }) {
  const [res, setRes] = useState<FollowResult | null>(null);
  useEffect(() => {
    setRes(null);
    props.engine.follow(props.captureId, props.connection).then(setRes);
  }, [props.engine, props.captureId, props.connection]);
  if (!res) return <p className="loading">Reading the stream…</p>;
  let shown = 0;
  const turns: Array<{ dir: 'client' | 'server'; text: string; gap: boolean }> = [];
  for (const seg of res.segments) {
    if (shown > SHOW_MAX) break;
    const text = seg.gap !== undefined ? `[${seg.gap} bytes missing in capture]` : visible(latin1(fromBase64(seg.bytesBase64 ?? '')));
    shown += text.length;
    const last = turns[turns.length - 1];
    if (last && last.dir === seg.dir && !last.gap && seg.gap === undefined) last.text += text;
    else turns.push({ dir: seg.dir, text, gap: seg.gap !== undefined });
  }
  return (
    <div className="follow" data-testid="follow">
      <p className="follow-head">
        <span className="client">{res.client}</span> (client) ⇄ <span className="server">{res.server}</span> (server)
        {(res.truncated || shown > SHOW_MAX) && <em> — cut: only the start of the stream is shown</em>}
      </p>
      {turns.map((t, i) => (
        <pre key={i} className={`turn ${t.dir}${t.gap ? ' gap' : ''}`}>{t.text}</pre>
      ))}
    </div>
  );
}
