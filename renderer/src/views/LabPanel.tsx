/**
 * The lab's panel in the app (`wirelens lab` only): a "Lab" button in the header that opens a drawer
 * with the lab inbox and the "Type this" exercises. Nothing shows unless the engine says a lab runs.
 */
import { useEffect, useState } from 'react';
import type { EngineApi, LabView } from '../../../api/engine-api';
import { LabInbox } from './LabInbox';
import { LabTypeThis } from './LabTypeThis';
import './lab.css';
import { TabList } from './TabList';

const POLL_MS = 2000;

/** `onFilter` applies a display filter to the capture shown (to show one connection of the lab's). */
export function LabPanel({ engine, onFilter }: { engine: EngineApi; onFilter?: (filter: string) => void }) {
  const [lab, setLab] = useState<LabView | null>(null);
  const [open, setOpen] = useState(false);
  const [tab, setTab] = useState<'inbox' | 'type'>('type');

  useEffect(() => {
    let stop = false;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const poll = () => {
      const ask = engine.getLab ? engine.getLab() : Promise.resolve(null);
      // An engine without a lab refuses the call: that only means there is no lab to show.
      ask.then(
        (v) => {
          if (stop) return;
          setLab(v);
          if (v) timer = setTimeout(poll, POLL_MS);
        },
        () => !stop && setLab(null),
      );
    };
    poll();
    return () => {
      stop = true;
      clearTimeout(timer);
    };
  }, [engine]);

  if (!lab) return null;
  const count = lab.messages.length;
  return (
    <>
      <button
        type="button"
        className="lab-button"
        aria-expanded={open}
        aria-controls="lab-drawer"
        data-testid="lab-button"
        onClick={() => setOpen(!open)}
      >
        Lab · {count} message{count === 1 ? '' : 's'}
      </button>
      {open && (
        <aside id="lab-drawer" className="lab-drawer" aria-label="The lab" data-testid="lab-drawer">
          <div className="lab-drawer-head">
            <strong>The lab on {lab.host}</strong>
            <span>
              user <code>{lab.login.user}</code>, password <code>{lab.login.password}</code>
            </span>
            <button type="button" onClick={() => setOpen(false)} aria-label="Close the lab panel">
              ×
            </button>
          </div>
          <ul className="lab-services" aria-label="The lab's servers">
            {lab.services.map((s) => (
              <li key={s.port}>
                {s.protocol.toUpperCase()} {s.port}
                {s.tls === 'implicit'
                  ? ' (TLS)'
                  : s.tls === 'starttls'
                    ? ` (${s.protocol === 'pop3' ? 'STLS' : 'STARTTLS'})`
                    : ''}
              </li>
            ))}
          </ul>
          <p
            className={lab.capture.state === 'capturing' ? 'lab-capture' : 'lab-capture warn'}
            data-testid="lab-capture"
          >
            {lab.capture.state === 'capturing'
              ? `Capturing on ${lab.capture.iface ?? 'loopback'}: the lab's connections appear in the lists as you type.`
              : lab.capture.state === 'stopped'
                ? 'The capture has stopped.'
                : lab.capture.message}{' '}
            TLS session keys go to <code>{lab.keyLogPath}</code>.
          </p>
          <TabList
            className="lab-tabs"
            label="The lab"
            tabs={[
              { key: 'type', name: 'Type this' },
              { key: 'inbox', name: `Inbox (${count})` },
            ]}
            selected={tab}
            onSelect={setTab}
            testIdPrefix="lab-tab-"
          />
          <div role="tabpanel" className="lab-tab-body">
            {tab === 'type' ? (
              <LabTypeThis exercises={lab.exercises} />
            ) : (
              <LabInbox
                engine={engine}
                messages={lab.messages}
                onFilter={
                  lab.capture.state === 'capturing' || lab.capture.state === 'stopped' ? onFilter : undefined
                }
              />
            )}
          </div>
        </aside>
      )}
    </>
  );
}
