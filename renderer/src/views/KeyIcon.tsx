/** The key drawn beside steps that carry credentials (SVG, so it needs no emoji font). */
export function KeyIcon(props: { x: number; y: number }) {
  return (
    <g className="key-icon" transform={`translate(${props.x},${props.y})`} aria-hidden="true">
      <circle cx={0} cy={0} r={3.6} />
      <path d="M3.6,0 H12 M9,0 V3.5 M11.5,0 V3" />
    </g>
  );
}

/** The same key as a small inline image for HTML text (legend, explanation). */
export function KeyGlyph() {
  return (
    <svg className="key-glyph" width={18} height={12} viewBox="-5 -6 19 12" aria-hidden="true">
      <KeyIcon x={0} y={0} />
    </svg>
  );
}
