/**
 * Marks and comments: the selected packet's comment (a teacher annotates a capture for the class;
 * saved into pcapng by Export packets), every comment of the capture as links to their packets,
 * the marked packets (Ctrl+M marks or unmarks the selected one) and time references (Ctrl+T).
 */
import { useEffect, useRef, useState } from 'react';
import type { CaptureId, EngineApi } from '../../../../api/engine-api';
import { visible } from '../../text/visible';

export function PacketNotes(props: {
  engine: EngineApi;
  captureId: CaptureId;
  frame: number | null;
  marked: number[];
  onMarked: (frames: number[]) => void;
  timeRefs: number[];
  onTimeRef: (frame: number) => void;
  onFrame: (frame: number) => void;
  onChanged: () => void;
}) {
  const { engine, captureId, frame } = props;
  const [comments, setComments] = useState<Array<{ frame: number; comment: string }>>([]);
  const [text, setText] = useState('');
  const [message, setMessage] = useState<string | null>(null);
  const [version, setVersion] = useState(0);
  /** The frame whose comment is in the text box; what the user typed for a frame is never replaced by a late answer. */
  const textFor = useRef<number | null>(null);
  const typedFor = useRef<number | null>(null);
  useEffect(() => {
    let current = true;
    // Another packet: its own comment is shown, whatever was typed for the previous one.
    if (textFor.current !== frame) typedFor.current = null;
    engine.getPacketComments?.(captureId).then(
      (c) => {
        if (!current) return;
        setComments(c);
        if (textFor.current !== frame) {
          textFor.current = frame;
          if (typedFor.current !== frame) setText(c.find((x) => x.frame === frame)?.comment ?? '');
        }
      },
      (e: Error) => current && setMessage(e.message),
    );
    return () => void (current = false);
  }, [engine, captureId, frame, version]);
  const save = async () => {
    if (frame === null) return;
    try {
      await engine.setPacketComment!(captureId, frame, text);
      setMessage(text.trim() ? `comment saved on packet ${frame}` : `comment removed from packet ${frame}`);
      setVersion((v) => v + 1);
      props.onChanged();
    } catch (e) {
      setMessage((e as Error).message);
    }
  };
  const toggleMark = async () => {
    if (frame === null) return;
    props.onMarked(await engine.setMarked!(captureId, [frame], !props.marked.includes(frame)));
    props.onChanged();
  };
  return (
    <div className="packet-notes" data-testid="packet-notes">
      {frame === null ? (
        <p className="hint">Choose a packet to comment or mark it.</p>
      ) : (
        <>
          <label htmlFor="wb-comment">
            Comment on packet {frame}{' '}
            <span className="hint">(saved in the file when exported as pcapng)</span>
          </label>
          <textarea
            id="wb-comment"
            rows={3}
            maxLength={16000}
            value={text}
            onChange={(e) => {
              typedFor.current = frame;
              setText(e.target.value);
            }}
            data-testid="comment-text"
          />
          <div className="wb-row">
            <button type="button" onClick={() => void save()} data-testid="comment-save">
              Save comment
            </button>
            <button
              type="button"
              onClick={() => void toggleMark()}
              aria-pressed={props.marked.includes(frame)}
              data-testid="mark-toggle"
            >
              {props.marked.includes(frame) ? 'Unmark' : 'Mark'} packet {frame} (Ctrl+M)
            </button>
            <button
              type="button"
              onClick={() => props.onTimeRef(frame)}
              aria-pressed={props.timeRefs.includes(frame)}
              data-testid="time-ref-toggle"
              title="The packets after it are timed from it (Wireshark: Set Time Reference; Ctrl+T in the desktop app, where the browser does not take that key)"
            >
              {props.timeRefs.includes(frame) ? 'Stop timing from' : 'Time from'} packet {frame}
            </button>
            {message && <span role="status">{message}</span>}
          </div>
        </>
      )}
      <h4>Comments ({comments.length})</h4>
      {comments.length === 0 ? (
        <p className="hint">
          No packet has a comment. pcapng files can carry them (Wireshark: Edit › Packet Comment).
        </p>
      ) : (
        <ul className="wb-list">
          {comments.slice(0, 500).map((c) => (
            <li key={c.frame}>
              <button type="button" className="link" onClick={() => props.onFrame(c.frame)}>
                packet {c.frame}
              </button>{' '}
              {visible(c.comment)}
            </li>
          ))}
        </ul>
      )}
      <h4>Marked ({props.marked.length})</h4>
      <p>
        {props.marked.slice(0, 200).map((f) => (
          <button key={f} type="button" className="link wb-chip" onClick={() => props.onFrame(f)}>
            {f}
          </button>
        ))}
      </p>
    </div>
  );
}
