/**
 * The URL fragment that names a slide: the capture, the connection and the step (1-based, as the
 * screen counts them), and whether presenter mode is on — `#c=c1&conn=3&step=7&present=1` — so a
 * teacher can reopen the same slide. Text in, text out: no DOM.
 */
export interface Slide {
  capture: string;
  connection: number;
  /** 1-based step number; null when no step is chosen. */
  step: number | null;
  present: boolean;
}

/** Reads a fragment (with or without its leading '#'); null when it does not name a capture and a connection. */
export function parseSlide(hash: string): Slide | null {
  const params = new URLSearchParams(hash.replace(/^#/, ''));
  const capture = params.get('c');
  const conn = params.get('conn');
  if (!capture || capture.length > 200 || conn === null || !/^\d{1,9}$/.test(conn)) return null;
  const step = params.get('step');
  return {
    capture,
    connection: Number(conn),
    step: step !== null && /^\d{1,9}$/.test(step) && Number(step) > 0 ? Number(step) : null,
    present: params.get('present') === '1',
  };
}

/** The fragment naming `slide` (with its leading '#'). */
export function slideFragment(slide: Slide): string {
  const params = new URLSearchParams({ c: slide.capture, conn: String(slide.connection) });
  if (slide.step !== null) params.set('step', String(slide.step));
  if (slide.present) params.set('present', '1');
  return `#${params.toString()}`;
}
