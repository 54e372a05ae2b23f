/** HTTP explanations (one reviewed table). RFC 9110 (semantics), RFC 9112 (HTTP/1.1), RFC 7617 (Basic). */
import { nearestWords } from '../did-you-mean';
import { printable } from '../output';

export const HTTP_METHODS: Record<string, string> = {
  GET: 'The client asks for a resource. HTTP is plain text over TCP: the request line and the headers are readable in the capture.',
  HEAD: 'Like GET, but the server sends only the headers (no body).',
  POST: 'The client sends data to the server (a form, an upload); the body follows the headers.',
  PUT: 'The client stores the body at this URI.',
  DELETE: 'The client asks the server to delete the resource.',
  OPTIONS: 'Asks which methods the server allows.',
  PATCH: 'Partial update of a resource with the body.',
  CONNECT:
    'Asks a proxy to open a tunnel to host:port; after a 2xx answer the connection carries raw bytes (often TLS).',
  TRACE: 'Asks the server to echo the request back.',
};

export const HTTP_NOTES = {
  request: 'An HTTP request.',
  body: 'The body (payload) of the message, framed by Content-Length, chunked encoding or the end of the connection.',
  compressed: 'It was sent compressed (Content-Encoding) and is shown decoded.',
  basic: 'Basic authorization is only base64 of user:password, readable by anyone who captures it',
  raw: 'After CONNECT or an Upgrade (WebSocket) the connection no longer carries HTTP messages: the bytes are shown raw.',
  notHttp: 'These bytes are not an HTTP message.',
} as const;

const STATUS: Record<number, string> = {
  100: 'Continue: the client may send the request body.',
  101: 'Switching protocols (for example to WebSocket): after this the connection no longer speaks HTTP.',
  200: 'OK: the body carries the resource.',
  201: 'Created.',
  204: 'No content: there is no body.',
  206: 'Partial content (a range of the resource).',
  301: 'Moved permanently: the Location header gives the new address.',
  302: 'Found (temporary redirect): the Location header gives where to go.',
  304: "Not modified: the client's cached copy is still good, so no body is sent.",
  307: 'Temporary redirect.',
  308: 'Permanent redirect.',
  400: 'Bad request.',
  401: 'Unauthorized: the server asks for credentials (WWW-Authenticate).',
  403: 'Forbidden.',
  404: 'Not found.',
  405: 'Method not allowed.',
  407: 'Proxy authentication required.',
  500: 'Internal server error.',
  502: 'Bad gateway.',
  503: 'Service unavailable.',
};

export function explainStatus(status: number): string {
  return (
    STATUS[status] ??
    (
      {
        1: 'Informational.',
        2: 'Success.',
        3: 'Redirection.',
        4: 'Client error.',
        5: 'Server error.',
      } as Record<number, string>
    )[Math.floor(status / 100)] ??
    'An unusual status code.'
  );
}

/** Methods of HTTP extensions (WebDAV, SSDP/UPnP, caches, RTSP-like uses): not typos. */
const EXTENSION_METHODS = new Set([
  'PROPFIND',
  'PROPPATCH',
  'MKCOL',
  'COPY',
  'MOVE',
  'LOCK',
  'UNLOCK',
  'SEARCH',
  'REPORT',
  'MKCALENDAR',
  'ACL',
  'BIND',
  'UNBIND',
  'REBIND',
  'LINK',
  'UNLINK',
  'NOTIFY',
  'SUBSCRIBE',
  'UNSUBSCRIBE',
  'M-SEARCH',
  'PURGE',
  'BAN',
  'QUERY',
  'PRI',
]);

/**
 * For a method that looks like a mistyped standard one (`GTE`, `get`): what the server will do and
 * the nearest standard method. Null for standard methods, extension methods and words close to none.
 */
export function unknownMethodNote(method: string): string | null {
  if (method in HTTP_METHODS || EXTENSION_METHODS.has(method)) return null;
  if (method.toUpperCase() in HTTP_METHODS)
    return `“${printable(method, 20)}”: HTTP methods are case-sensitive, so this is not ${method.toUpperCase()}; servers answer an unknown method with 400, 405 (method not allowed) or 501 (not implemented). Write ${method.toUpperCase()}.`;
  const near = nearestWords(method, Object.keys(HTTP_METHODS));
  if (!near.length) return null;
  return `“${printable(method, 20)}” is not an HTTP method: servers answer an unknown method with 400, 405 (method not allowed) or 501 (not implemented). Did you mean ${near.join(' or ')}?`;
}
