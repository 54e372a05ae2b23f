/**
 * Saves bytes the user asked for (an attachment, an FTP transfer, a followed stream, a diagram):
 * the desktop app's native Save dialog through the preload, or a browser download. Only ever on a
 * user's click; the proposed name is made safe (captured file names are hostile).
 */
import type { PreloadBridge } from '../../../api/engine-api';

export function safeFileName(name: string | null | undefined, fallback: string): string {
  const base = (name ?? '').split(/[\\/]/).pop() ?? '';
  const cleaned = base.replace(/[\u0000-\u001f\u007f<>:"|?*\u202a-\u202e\u2066-\u2069]/g, '_').replace(/^[.\s]+/, '').slice(0, 120).trim();
  return cleaned || fallback;
}

export async function saveBytes(name: string, mimeType: string, bytesBase64: string): Promise<boolean> {
  const bridge = (window as unknown as { wirelens?: PreloadBridge }).wirelens;
  if (bridge) return bridge.saveFile(name, bytesBase64);
  const bin = atob(bytesBase64);
  const bytes = new Uint8Array(bin.length);
  for (let i = 0; i < bin.length; i++) bytes[i] = bin.charCodeAt(i);
  // application/octet-stream: the browser saves it and never renders it.
  void mimeType;
  const url = URL.createObjectURL(new Blob([bytes], { type: 'application/octet-stream' }));
  const a = document.createElement('a');
  a.href = url;
  a.download = name;
  a.rel = 'noopener';
  document.body.appendChild(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10000);
  return true;
}

export function textToBase64(text: string): string {
  const bytes = new TextEncoder().encode(text);
  let s = '';
  for (let i = 0; i < bytes.length; i += 0x8000) s += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(s);
}
