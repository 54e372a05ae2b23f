/**
 * Light/dark theme and a zoom that scales the whole window (readable at projector size); both kept
 * in the browser's local storage.
 */
import { useEffect, useState } from 'react';
import { cssVariables } from '../palette/palette';

const ZOOMS = [0.8, 0.9, 1, 1.1, 1.25, 1.5, 1.75, 2];

function stored<T>(key: string, fallback: T, valid: (v: unknown) => v is T): T {
  try {
    const v: unknown = JSON.parse(localStorage.getItem(key) ?? 'null');
    return valid(v) ? v : fallback;
  } catch {
    return fallback;
  }
}

export function DisplayControls() {
  const [theme, setTheme] = useState<'light' | 'dark'>(() => stored('wirelens.theme', 'light', (v): v is 'light' | 'dark' => v === 'light' || v === 'dark'));
  const [zoom, setZoom] = useState<number>(() => stored('wirelens.zoom', 1, (v): v is number => typeof v === 'number' && ZOOMS.includes(v)));
  useEffect(() => {
    document.documentElement.dataset.theme = theme;
    // The palette's colours, for the stylesheet (CSSOM: allowed by the page's style-src 'self').
    for (const [k, v] of Object.entries(cssVariables(theme))) document.documentElement.style.setProperty(k, v);
    localStorage.setItem('wirelens.theme', JSON.stringify(theme));
  }, [theme]);
  useEffect(() => {
    // CSS zoom scales layout and text together (Chromium, Electron).
    document.documentElement.style.setProperty('zoom', String(zoom));
    // The layout fills the window: its height in zoomed pixels is the window's divided by the zoom.
    document.documentElement.style.setProperty('--zoom', String(zoom));
    localStorage.setItem('wirelens.zoom', JSON.stringify(zoom));
  }, [zoom]);
  const step = (d: number) => setZoom((z) => ZOOMS[Math.max(0, Math.min(ZOOMS.length - 1, ZOOMS.indexOf(z) + d))]);
  return (
    <span className="display-controls">
      <button type="button" onClick={() => step(-1)} aria-label="A− smaller" data-testid="zoom-out">A−</button>
      <span data-testid="zoom-level" aria-live="polite">{Math.round(zoom * 100)}%</span>
      <button type="button" onClick={() => step(1)} aria-label="A+ larger" data-testid="zoom-in">A+</button>
      <button type="button" onClick={() => setTheme(theme === 'light' ? 'dark' : 'light')} data-testid="theme-toggle">{theme === 'light' ? 'Dark theme' : 'Light theme'}</button>
    </span>
  );
}
