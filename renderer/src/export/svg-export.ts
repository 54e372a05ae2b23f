/**
 * Diagram export: the whole ladder (not just the rows on screen) as a standalone SVG string built
 * from the same layout function, the handshake timeline from its drawn SVG, and PNG by drawing the
 * SVG on a canvas. Captured text is XML-escaped and made visible; nothing from a payload becomes
 * markup.
 */
import type { LadderEvent } from '../../../dissectors/app/types';
import { layoutLadder } from '../layout/ladder-layout';
import { visible } from '../text/visible';
import { PALETTE } from '../palette/palette';

const C = PALETTE.light;

/** Enough style for the exported file to look like the screen without the app's stylesheet. */
export const EXPORT_CSS = [
  `text { font: 11px system-ui, sans-serif; fill: ${C.text}; }`,
  `.lane-title { font-weight: 600; font-size: 13px; } .lane-endpoint { font-size: 10px; fill: ${C.muted}; }`,
  `.lifeline { stroke: ${C.muted}; stroke-width: 2; }`,
  `.arrow line { stroke: ${C.neutral}; stroke-width: 1.5; } .arrow path { fill: ${C.neutral}; } .frame-no { fill: ${C.muted}; font-size: 10px; }`,
  `.outcome-positive line { stroke: ${C.positive}; } .outcome-positive path { fill: ${C.positive}; }`,
  `.outcome-intermediate line { stroke: ${C.intermediate}; } .outcome-intermediate path { fill: ${C.intermediate}; }`,
  `.outcome-transient-negative line { stroke: ${C.transientNegative}; } .outcome-transient-negative path, .outcome-transient-negative .label { fill: ${C.transientNegative}; }`,
  `.outcome-permanent-negative line { stroke: ${C.permanentNegative}; } .outcome-permanent-negative path, .outcome-permanent-negative .label { fill: ${C.permanentNegative}; }`,
  `.key-icon circle, .key-icon path { fill: none; stroke: ${C.text}; stroke-width: 1.6; }`,
  `.trouble-bad-tcp { fill: ${C.badTcpBg}; } text.trouble-bad-tcp { fill: ${C.badTcpFg}; font-size: 9px; } .trouble-rst { fill: ${C.rstBg}; } text.trouble-rst { fill: ${C.rstFg}; font-size: 9px; }`,
  `.kind-data line { stroke-dasharray: 4 3; } .kind-tls line { stroke: ${C.tls}; } .kind-tls path { fill: ${C.tls}; }`,
  `.encrypted-band rect { fill: ${C.tls}; fill-opacity: 0.08; } .encrypted-caption { fill: ${C.tls}; font-weight: 600; }`,
  `.hs line { stroke: ${C.neutral}; stroke-width: 1.5; } .detail { font-size: 10px; fill: ${C.muted}; } .current-row { display: none; }`,
  `.rule-syn-fin .mark-chip { fill: ${C.synFinBg}; } .rule-syn-fin .mark-label { fill: ${C.synFinFg}; } .rule-rst .mark-chip { fill: ${C.rstBg}; } .rule-rst .mark-label { fill: ${C.rstFg}; } .rule-bad-tcp .mark-chip { fill: ${C.badTcpBg}; } .rule-bad-tcp .mark-label { fill: ${C.badTcpFg}; }`,
].join('\n');

export function escapeXml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&apos;' })[c]!);
}

const t = (s: string) => escapeXml(visible(s));

/** The complete ladder as an SVG document. */
export function ladderSvg(events: readonly LadderEvent[], client: string, server: string, width = 900): { svg: string; width: number; height: number } {
  const lay = layoutLadder(events, width);
  const out: string[] = [];
  out.push(`<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${lay.height}" viewBox="0 0 ${width} ${lay.height}">`);
  out.push(`<style>${EXPORT_CSS}</style><rect width="100%" height="100%" fill="#fff"/>`);
  if (lay.encryptedBand) out.push(`<g class="encrypted-band"><rect x="0" y="${lay.encryptedBand.y}" width="${width}" height="${lay.encryptedBand.height}"/></g><text class="encrypted-caption" x="${width / 2}" y="24" text-anchor="middle">shaded: TLS: encrypted below this line</text>`);
  for (const [x, role, name] of [[lay.clientX, 'client', client], [lay.serverX, 'server', server]] as const) {
    out.push(`<text class="lane-title" x="${x}" y="18" text-anchor="middle">${role}</text><text class="lane-endpoint" x="${x}" y="30" text-anchor="middle">${t(name)}</text>`);
    out.push(`<line class="lifeline" x1="${x}" x2="${x}" y1="34" y2="${lay.height}"/>`);
  }
  for (const a of lay.arrows) {
    const dir = a.x2 > a.x1 ? 1 : -1;
    const label = a.label.length > 110 ? a.label.slice(0, 109) + '…' : a.label;
    const e = events[a.index];
    const key = e.kind === 'auth' ? `<g class="key-icon" transform="translate(${a.x1 + dir * 14 - (dir < 0 ? 12 : 0)},${a.y - 9})"><circle cx="0" cy="0" r="3.6"/><path d="M3.6,0 H12 M9,0 V3.5 M11.5,0 V3"/></g>` : '';
    out.push(
      `<g class="arrow kind-${a.kind}${e.outcome ? ` outcome-${e.outcome}` : ''}"><line x1="${a.x1}" x2="${a.x2 - dir * 6}" y1="${a.y}" y2="${a.y}"/><path d="M${a.x2},${a.y} l${-dir * 8},-4 l0,8 z"/>` +
        `<text class="label" x="${(a.x1 + a.x2) / 2}" y="${a.y - 5}" text-anchor="middle">${t(label)}</text>${key}` +
        `<text class="frame-no" x="${a.from === 'client' ? a.x1 - 8 : a.x1 + 8}" y="${a.y + 4}" text-anchor="${a.from === 'client' ? 'end' : 'start'}">${a.frame}</text></g>`,
    );
  }
  out.push('</svg>');
  return { svg: out.join(''), width, height: lay.height };
}

/** A drawn SVG element as a standalone document with the export style. */
export function serializeSvg(el: SVGSVGElement): { svg: string; width: number; height: number } {
  const copy = el.cloneNode(true) as SVGSVGElement;
  copy.setAttribute('xmlns', 'http://www.w3.org/2000/svg');
  const style = document.createElementNS('http://www.w3.org/2000/svg', 'style');
  style.textContent = EXPORT_CSS;
  copy.insertBefore(style, copy.firstChild);
  const width = Number(el.getAttribute('width')) || el.clientWidth;
  const height = Number(el.getAttribute('height')) || el.clientHeight;
  return { svg: new XMLSerializer().serializeToString(copy), width, height };
}

/** Renders an SVG document to PNG (base64), at `scale` for sharp projector output. */
export async function svgToPngBase64(svg: string, width: number, height: number, scale = 2): Promise<string> {
  const url = URL.createObjectURL(new Blob([svg], { type: 'image/svg+xml' }));
  try {
    const img = new Image();
    await new Promise<void>((resolve, reject) => {
      img.onload = () => resolve();
      img.onerror = () => reject(new Error('the diagram could not be rendered'));
      img.src = url;
    });
    // Browsers limit canvas size: very tall ladders are scaled down to fit.
    const s = Math.min(scale, 16000 / Math.max(width, height));
    const canvas = document.createElement('canvas');
    canvas.width = Math.round(width * s);
    canvas.height = Math.round(height * s);
    const ctx = canvas.getContext('2d');
    if (!ctx) throw new Error('no canvas available');
    ctx.fillStyle = '#fff';
    ctx.fillRect(0, 0, canvas.width, canvas.height);
    ctx.drawImage(img, 0, 0, canvas.width, canvas.height);
    return canvas.toDataURL('image/png').replace(/^data:image\/png;base64,/, '');
  } finally {
    URL.revokeObjectURL(url);
  }
}
