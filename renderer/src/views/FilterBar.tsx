/** The display-filter bar: Wireshark's syntax, applied by the engine; it always shows the filter in force. */
import { useEffect, useState } from 'react';

export function FilterBar(props: { text: string; total: number; displayed: number | null; onApply: (text: string) => Promise<string | null> }) {
  const [text, setText] = useState(props.text);
  const [error, setError] = useState<string | null>(null);
  // A filter applied from elsewhere ("only this connection") shows here.
  useEffect(() => setText(props.text), [props.text]);
  const apply = async (value: string) => {
    setError(await props.onApply(value));
  };
  const inForce = props.text.trim() !== '';
  return (
    <form className="filter-bar" onSubmit={(e) => { e.preventDefault(); void apply(text); }}>
      <input
        data-testid="filter-input"
        value={text}
        onChange={(e) => setText(e.target.value)}
        placeholder="Display filter, e.g. smtp.req.command == &quot;MAIL&quot; or tcp.port == 1110"
        aria-label="display filter"
        aria-invalid={error ? true : undefined}
        spellCheck={false}
      />
      <button type="submit">Apply</button>
      {inForce && <button type="button" onClick={() => { setText(''); void apply(''); }} data-testid="filter-clear">Clear</button>}
      {error ? (
        <span data-testid="filter-message" className="bad" role="alert">{error}</span>
      ) : (
        inForce && props.displayed !== null && <span data-testid="filter-message" className="ok">{props.displayed} of {props.total} packets</span>
      )}
    </form>
  );
}
