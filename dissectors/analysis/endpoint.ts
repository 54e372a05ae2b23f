import type { Endpoint } from '../tcp/types';

/** `ip:port`, or `[v6addr]:port` for IPv6. */
export function formatEndpoint(e: Endpoint): string {
  return e.ip.includes(':') ? `[${e.ip}]:${e.port}` : `${e.ip}:${e.port}`;
}
