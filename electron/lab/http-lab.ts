/**
 * The lab's web server (node:http): a small static site on loopback to watch HTTP on the wire — a
 * page and its stylesheet over one kept-alive connection, a chunked answer, a gzip-compressed
 * one, a page behind Basic authentication (pari/ninja) and a login form posting in clear text.
 * Bounded: headers, bodies of at most 4 KiB, 64 connections, timeouts on slow clients.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { gzipSync } from 'node:zlib';

const PAGE = (title: string, body: string) => `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>${title}</title><link rel="stylesheet" href="/style.css"></head>
<body><h1>${title}</h1>
${body}
<p><a href="/">Back to the lab's home page</a></p></body></html>
`;

const HOME = PAGE(
  'Wirelens lab web server',
  `<p>Every page here is a lesson in what HTTP sends. Open them with a browser or with <code>curl -v</code> and watch the capture.</p>
<ul>
<li><a href="/hello.txt">/hello.txt</a>: a short text file with a Content-Length.</li>
<li><a href="/chunked">/chunked</a>: an answer sent in pieces (Transfer-Encoding: chunked), its length not known in advance.</li>
<li><a href="/gzip">/gzip</a>: an answer compressed with gzip when the client says it accepts it (Accept-Encoding).</li>
<li><a href="/secret">/secret</a>: a page behind Basic authentication (user pari, password ninja): the password crosses the wire in base64, which anyone can decode.</li>
<li><a href="/login">/login</a>: a form that posts a user name and password in clear text.</li>
</ul>`,
);

const CSS =
  'body{font-family:sans-serif;max-width:40em;margin:2em auto;line-height:1.5}code{background:#eee;padding:0 .2em}\n';

const GZIP_TEXT = Array.from(
  { length: 40 },
  (_, i) =>
    `Line ${i + 1}: repeated text compresses well, so gzip makes this answer much shorter on the wire.\n`,
).join('');

export interface HttpLabOptions {
  checkLogin(user: string, password: string): boolean;
}

function send(
  res: ServerResponse,
  status: number,
  type: string,
  body: string | Buffer,
  headers: Record<string, string> = {},
): void {
  const bytes = typeof body === 'string' ? Buffer.from(body) : body;
  res.writeHead(status, { 'Content-Type': type, 'Content-Length': String(bytes.length), ...headers });
  res.end(bytes);
}

function basicCredentials(req: IncomingMessage): [string, string] | null {
  const m = /^Basic ([A-Za-z0-9+/=]{1,400})$/.exec(req.headers.authorization ?? '');
  if (!m) return null;
  const text = Buffer.from(m[1], 'base64').toString('utf8');
  const colon = text.indexOf(':');
  return colon < 0 ? null : [text.slice(0, colon), text.slice(colon + 1)];
}

function readBody(req: IncomingMessage, max: number): Promise<string | null> {
  return new Promise((resolve) => {
    const parts: Buffer[] = [];
    let size = 0;
    req.on('data', (d: Buffer) => {
      size += d.length;
      if (size <= max) parts.push(d);
    });
    req.on('end', () => resolve(size > max ? null : Buffer.concat(parts).toString('utf8')));
    req.on('error', () => resolve(null));
  });
}

async function handle(opts: HttpLabOptions, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const path = (req.url ?? '/').split('?')[0];
  const html = 'text/html; charset=utf-8';
  if (req.method === 'POST' && path === '/login') {
    const body = await readBody(req, 4096);
    if (body === null) return send(res, 413, 'text/plain', 'The form is at most 4 KiB.\n');
    const form = new URLSearchParams(body);
    const ok = opts.checkLogin(form.get('user') ?? '', form.get('password') ?? '');
    return send(
      res,
      ok ? 200 : 403,
      html,
      PAGE(
        ok ? 'Logged in' : 'Wrong user name or password',
        '<p>Look at the POST request in the capture: the password is in its body, in clear text.</p>',
      ),
    );
  }
  if (req.method !== 'GET' && req.method !== 'HEAD')
    return send(res, 405, 'text/plain', 'This lab server answers GET and HEAD (and POST on /login).\n', {
      Allow: 'GET, HEAD',
    });
  switch (path) {
    case '/':
    case '/index.html':
      return send(res, 200, html, HOME);
    case '/style.css':
      return send(res, 200, 'text/css', CSS);
    case '/hello.txt':
      return send(res, 200, 'text/plain; charset=utf-8', 'Hello from the Wirelens lab web server.\n');
    case '/chunked': {
      // No Content-Length: Node sends Transfer-Encoding: chunked, one chunk per write.
      res.writeHead(200, { 'Content-Type': 'text/plain; charset=utf-8' });
      const pieces = [
        'This answer comes in pieces.\n',
        'Each piece is a chunk: its size in hexadecimal, CRLF, the bytes, CRLF.\n',
        'A chunk of size 0 ends the answer.\n',
      ];
      for (const [i, piece] of pieces.entries()) {
        await new Promise((r) => setTimeout(r, i ? 50 : 0));
        if (res.destroyed) return;
        res.write(piece);
      }
      res.end();
      return;
    }
    case '/gzip': {
      if (!/\bgzip\b/.test(String(req.headers['accept-encoding'] ?? '')))
        return send(
          res,
          200,
          'text/plain; charset=utf-8',
          'Your client did not send "Accept-Encoding: gzip", so this answer is not compressed. Try: curl --compressed -v URL\n',
          { Vary: 'Accept-Encoding' },
        );
      return send(res, 200, 'text/plain; charset=utf-8', gzipSync(GZIP_TEXT), {
        'Content-Encoding': 'gzip',
        Vary: 'Accept-Encoding',
      });
    }
    case '/secret': {
      const creds = basicCredentials(req);
      if (creds && opts.checkLogin(creds[0], creds[1]))
        return send(
          res,
          200,
          html,
          PAGE(
            'The secret page',
            '<p>You are in. Now find the Authorization header in the capture and decode its base64.</p>',
          ),
        );
      return send(
        res,
        401,
        html,
        PAGE('Authentication required', '<p>Log in as pari with the password ninja.</p>'),
        { 'WWW-Authenticate': 'Basic realm="Wirelens lab"' },
      );
    }
    case '/login':
      return send(
        res,
        200,
        html,
        PAGE(
          'Log in',
          '<form method="post" action="/login"><p><label>User <input name="user"></label></p><p><label>Password <input name="password" type="password"></label></p><p><button>Log in</button></p></form>',
        ),
      );
    default:
      return send(
        res,
        404,
        'text/plain',
        'Not found: the lab site has /, /hello.txt, /chunked, /gzip, /secret and /login.\n',
      );
  }
}

export function createHttpLabServer(opts: HttpLabOptions): Server {
  const server = createServer(
    { maxHeaderSize: 8192, requestTimeout: 60_000, headersTimeout: 30_000, keepAliveTimeout: 30_000 },
    (req, res) => {
      handle(opts, req, res).catch(() => res.destroy());
    },
  );
  server.maxConnections = 64;
  server.maxRequestsPerSocket = 1000;
  return server;
}
