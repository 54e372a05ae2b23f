/** "Type this": the lessons' commands for each of the lab's ports, each line copyable. */
import { useState } from 'react';
import type { LabExercise } from '../../../api/engine-api';

function CopyButton({ text, label }: { text: string; label: string }) {
  const [done, setDone] = useState(false);
  return (
    <button
      type="button"
      className="lab-copy"
      aria-label={label}
      onClick={() => {
        navigator.clipboard?.writeText(text).then(
          () => {
            setDone(true);
            setTimeout(() => setDone(false), 1500);
          },
          () => undefined,
        );
      }}
    >
      {done ? 'Copied' : 'Copy'}
    </button>
  );
}

export function LabTypeThis({ exercises }: { exercises: LabExercise[] }) {
  return (
    <div className="lab-type-this" data-testid="lab-type-this">
      {exercises.map((e, i) => (
        <section key={i} className="lab-exercise">
          <h3>
            {e.title} <span className="lab-port">port {e.port}</span>
          </h3>
          <ol className="lab-lines">
            {e.lines.map((line, j) => (
              <li key={j}>
                <code>{line === '' ? '(an empty line: press Enter)' : line}</code>
                {line !== '' && <CopyButton text={line} label={`Copy: ${line}`} />}
              </li>
            ))}
          </ol>
          {e.lines.length > 1 && (
            <CopyButton text={e.lines.join('\n')} label={`Copy every line of “${e.title}”`} />
          )}
          <p className="lab-note">{e.note}</p>
        </section>
      ))}
    </div>
  );
}
