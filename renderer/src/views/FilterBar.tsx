/** The display-filter bar: Wireshark's syntax, applied by the engine; errors shown with their position. */
import { useState } from 'react';
import type { CaptureId, EngineApi } from '../../../api/engine-api';

export function FilterBar(props: { engine: EngineApi; captureId: CaptureId; total: number; onApplied: (displayed: number | null) => void }) {
  const [text, setText] = useState('');
  const [message, setMessage] = useState<{ ok: boolean; text: string } | null>(null);
  const apply = async () => {
    const res = await props.engine.setFilter(props.captureId, text);
    if (!res.ok) {
      setMessage({ ok: false, text: res.error ?? 'invalid filter' });
      return;
    }
    props.onApplied(text.trim() ? res.displayed : null);
    setMessage(text.trim() ? { ok: true, text: `${res.displayed} of ${props.total} packets` } : null);
  };
  return (
    <form className="filter-bar" onSubmit={(e) => { e.preventDefault(); void apply(); }}>
      <input
        data-testid="filter-input"
        value={text}
        onChange={(e) => setText(e.target.value)}
        placeholder="Display filter, e.g. smtp.req.command == &quot;MAIL&quot; or tcp.port == 1110"
        aria-label="display filter"
        spellCheck={false}
      />
      <button type="submit">Apply</button>
      {message && <span data-testid="filter-message" className={message.ok ? 'ok' : 'bad'}>{message.text}</span>}
    </form>
  );
}
