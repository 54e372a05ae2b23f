/**
 * The Statistics window, opened from the header: capture file properties, Protocol Hierarchy,
 * Conversations, Endpoints, IO Graph and TCP stream graphs (the numbers tshark's -z and capinfos
 * give). Escape closes it; a conversation row or a graph's mark chooses its packet in the main window.
 */
import { useEffect, useState } from 'react';
import type { CaptureInfo, CaptureStatistics, ConnectionRow, EngineApi } from '../../../../api/engine-api';
import { ConversationsView, EndpointsView, HierarchyView, PropertiesView } from './StatsTables';
import { IoGraphView } from './IoGraphView';
import { TcpGraphView } from './TcpGraphView';
import './stats.css';
import { TabList } from '../TabList';

type Tab = 'properties' | 'hierarchy' | 'conversations' | 'endpoints' | 'io' | 'tcp';
const TABS: Array<{ key: Tab; name: string }> = [
  { key: 'properties', name: 'Capture file properties' },
  { key: 'hierarchy', name: 'Protocol Hierarchy' },
  { key: 'conversations', name: 'Conversations' },
  { key: 'endpoints', name: 'Endpoints' },
  { key: 'io', name: 'IO Graph' },
  { key: 'tcp', name: 'TCP stream graphs' },
];

export function Statistics(props: {
  engine: EngineApi;
  capture: CaptureInfo;
  ready: boolean;
  connection: number | null;
  onFrame: (frame: number, connection: number) => void;
}) {
  const { engine, capture } = props;
  const [open, setOpen] = useState(false);
  const [tab, setTab] = useState<Tab>('hierarchy');
  const [stats, setStats] = useState<CaptureStatistics | null>(null);
  const [connections, setConnections] = useState<ConnectionRow[]>([]);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    setStats(null);
    setError(null);
  }, [capture.id]);
  useEffect(() => {
    if (!open || stats || !engine.getStatistics) return;
    let live = true;
    engine.getStatistics(capture.id).then(
      (s) => live && setStats(s),
      (e: Error) => live && setError(e.message),
    );
    engine.getConnections(capture.id).then(
      (c) => live && setConnections(c),
      () => undefined,
    );
    return () => void (live = false);
  }, [open, stats, engine, capture.id]);
  useEffect(() => {
    if (!open) return;
    const onKey = (e: KeyboardEvent) => e.key === 'Escape' && setOpen(false);
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [open]);
  if (!props.ready || capture.live || !engine.getStatistics) return null;
  const stem = capture.name.replace(/\.(pcapng|pcap|cap)(\.gz)?$/i, '');
  const goTo = (frame: number, connection: number) => {
    props.onFrame(frame, connection);
    setOpen(false);
  };
  return (
    <>
      <button
        type="button"
        className="st-button"
        aria-expanded={open}
        aria-haspopup="dialog"
        data-testid="statistics-button"
        onClick={() => setOpen(!open)}
      >
        Statistics
      </button>
      {open && (
        <div className="st-backdrop" onClick={(e) => e.target === e.currentTarget && setOpen(false)}>
          <div
            className="st-dialog"
            role="dialog"
            aria-modal="true"
            aria-label="Statistics"
            data-testid="statistics"
          >
            <div className="st-head">
              <h2>Statistics · {capture.name}</h2>
              <TabList
                className="st-tabs"
                label="Statistics views"
                tabs={TABS}
                selected={tab}
                onSelect={setTab}
                testIdPrefix="st-tab-"
              />
              <button
                type="button"
                className="st-close"
                onClick={() => setOpen(false)}
                aria-label="Close Statistics"
              >
                ×
              </button>
            </div>
            <div className="st-body" role="tabpanel" aria-label={TABS.find((t) => t.key === tab)?.name}>
              {error && <p className="warn">{error}</p>}
              {!stats && !error && tab !== 'io' && tab !== 'tcp' && <p>Counting every packet…</p>}
              {stats?.truncated && (
                <p className="warn">
                  A table passed 200,000 rows: the rest are left out (the totals above them still count every
                  packet).
                </p>
              )}
              {stats && tab === 'properties' && <PropertiesView stats={stats} stem={stem} />}
              {stats && tab === 'hierarchy' && <HierarchyView stats={stats} stem={stem} />}
              {stats && tab === 'conversations' && (
                <ConversationsView
                  stats={stats}
                  stem={stem}
                  onOpen={(r) => goTo(r.firstFrame, r.connection)}
                />
              )}
              {stats && tab === 'endpoints' && <EndpointsView stats={stats} stem={stem} />}
              {tab === 'io' && <IoGraphView engine={engine} captureId={capture.id} stem={stem} />}
              {tab === 'tcp' && (
                <TcpGraphView
                  engine={engine}
                  captureId={capture.id}
                  connections={connections}
                  connection={props.connection}
                  onFrame={goTo}
                />
              )}
            </div>
          </div>
        </div>
      )}
    </>
  );
}
