/** One packet: its decoded layers as a tree and its bytes as hex + ASCII (text only). */
import { useEffect, useState } from 'react';
import type { CaptureId, EngineApi, PacketDetail } from '../../../api/engine-api';
import type { LayerField } from '../../../dissectors/net/types';
import { fromBase64, visible } from '../text/visible';
import { stepBytes, type LessonStep } from '../layout/lesson-steps';

function Field({ f, onPick, active }: { f: LayerField; onPick: (o: number, l: number) => void; active: LayerField | null }) {
  return (
    <li>
      <span className={f === active ? 'active-field' : ''} data-testid="field" onClick={() => onPick(f.offset, f.length)}>{visible(f.label)}</span>
      {f.children && <ul>{f.children.map((c, i) => <Field key={i} f={c} onPick={onPick} active={active} />)}</ul>}
    </li>
  );
}

/** The most specific field covering byte `at` (the reverse of field → bytes). */
export function fieldAt(fields: LayerField[], at: number): LayerField | null {
  let best: LayerField | null = null;
  const walk = (list: LayerField[]) => {
    for (const f of list) {
      if (f.length > 0 && at >= f.offset && at < f.offset + f.length) {
        if (!best || f.length <= best.length) best = f;
        if (f.children) walk(f.children);
      }
    }
  };
  walk(fields);
  return best;
}

export function PacketDetailPane(props: { engine: EngineApi; captureId: CaptureId; frame: number; /** The step this frame is shown for: its bytes are highlighted. */ highlight?: LessonStep | null }) {
  const [d, setD] = useState<PacketDetail | null>(null);
  const [mark, setMark] = useState<[number, number] | null>(null);
  const [active, setActive] = useState<LayerField | null>(null);
  const [failed, setFailed] = useState<string | null>(null);
  useEffect(() => {
    let current = true;
    setFailed(null);
    props.engine.getPacketDetail(props.captureId, props.frame).then(
      (x) => current && setD(x),
      (e: Error) => current && setFailed(e.message),
    );
    return () => void (current = false);
  }, [props.engine, props.captureId, props.frame]);
  // A step's bytes: the application's bytes of a ladder step, the TCP header of a handshake step.
  const step = props.highlight ?? null;
  useEffect(() => {
    if (!d || d.no !== props.frame) return;
    setActive(null);
    setMark(step ? stepBytes(step, d.layers, d.capLen) : null);
  }, [d, step, props.frame]);
  if (failed) return <p className="hint">Frame {props.frame} could not be read: {failed}</p>;
  if (!d || d.no !== props.frame) return <p className="loading">Loading frame {props.frame}…</p>;
  const bytes = fromBase64(d.bytesBase64);
  const lines: Array<{ off: number; cells: number[] }> = [];
  for (let o = 0; o < bytes.length; o += 16) lines.push({ off: o, cells: Array.from(bytes.subarray(o, o + 16)) });
  const inMark = (i: number) => mark !== null && i >= mark[0] && i < mark[0] + mark[1];
  return (
    <div className="packet-detail-pane" data-testid="packet-detail">
      <h3>Frame {d.no}: {d.capLen} bytes captured ({d.origLen} on the wire)</h3>
      <div className="detail-split">
      <ul className="layers">
        {d.layers.map((l, i) => (
          <li key={i}>
            <span onClick={() => setMark([l.offset, l.length])}>{visible(l.name)}</span>
            <ul>{l.fields.map((f, k) => <Field key={k} f={f} active={active} onPick={(o, n) => { setMark([o, n]); setActive(f); }} />)}</ul>
          </li>
        ))}
      </ul>
      <pre className="hex" data-testid="hex" aria-label={`bytes of frame ${d.no}`}>
        {lines.map((ln) => (
          <div key={ln.off}>
            <span className="off">{ln.off.toString(16).padStart(4, '0')}</span>{'  '}
            {ln.cells.map((c, i) => (
              <span
                key={i}
                data-testid="hex-byte"
                data-offset={ln.off + i}
                className={inMark(ln.off + i) ? 'mark' : ''}
                onClick={() => {
                  const f = fieldAt(d.layers.flatMap((l) => l.fields), ln.off + i);
                  setActive(f);
                  setMark(f ? [f.offset, f.length] : [ln.off + i, 1]);
                }}
              >
                {c.toString(16).padStart(2, '0')}{' '}
              </span>
            ))}
            {'  '}
            {ln.cells.map((c, i) => <span key={`a${i}`} className={inMark(ln.off + i) ? 'mark' : ''}>{c >= 0x20 && c < 0x7f ? String.fromCharCode(c) : '.'}</span>)}
          </div>
        ))}
      </pre>
      </div>
    </div>
  );
}
