/** Export buttons for the ladder and the handshake timeline (SVG and PNG, saved on click). */
import { useState } from 'react';
import type { ConnectionView } from '../../../api/engine-api';
import { safeFileName, saveBytes, textToBase64 } from '../client/save-bytes';
import { ladderSvg, serializeSvg, svgToPngBase64 } from '../export/svg-export';

export function DiagramExport(props: { view: ConnectionView }) {
  const [error, setError] = useState<string | null>(null);
  const name = (what: string, ext: string) => safeFileName(`connection-${props.view.row.id}-${what}.${ext}`, `diagram.${ext}`);
  const run = async (what: 'ladder' | 'timeline', format: 'svg' | 'png') => {
    setError(null);
    try {
      let doc: { svg: string; width: number; height: number };
      if (what === 'ladder') doc = ladderSvg(props.view.ladder, props.view.row.client, props.view.row.server);
      else {
        const el = document.querySelector<SVGSVGElement>('[data-testid="handshake"]');
        if (!el) throw new Error('the timeline is not drawn');
        doc = serializeSvg(el);
      }
      if (format === 'svg') await saveBytes(name(what, 'svg'), 'image/svg+xml', textToBase64(doc.svg));
      else await saveBytes(name(what, 'png'), 'image/png', await svgToPngBase64(doc.svg, doc.width, doc.height));
    } catch (e) {
      setError((e as Error).message);
    }
  };
  return (
    <p className="diagram-export">
      Export: ladder <button type="button" data-testid="export-ladder-svg" onClick={() => void run('ladder', 'svg')}>SVG</button>{' '}
      <button type="button" data-testid="export-ladder-png" onClick={() => void run('ladder', 'png')}>PNG</button> · handshake{' '}
      <button type="button" data-testid="export-timeline-svg" onClick={() => void run('timeline', 'svg')}>SVG</button>{' '}
      <button type="button" data-testid="export-timeline-png" onClick={() => void run('timeline', 'png')}>PNG</button>
      {error && <span className="warn"> {error}</span>}
    </p>
  );
}
