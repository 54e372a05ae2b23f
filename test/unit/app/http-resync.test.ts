/**
 * HTTP after a line that is not HTTP (a malformed or fuzzed request): the bytes are shown as one run
 * of data and the next whole request line (OPTIONS, GET …) is read again, as tshark reads the methods
 * after such a request; on the server side the same with the next status line.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { AppResult } from '../../../dissectors/app/types';
import { dissectStream, type StreamPart } from '../../helpers/app-stream';

const run = (parts: StreamPart[]): AppResult => dissectStream(80, parts);

test('after a malformed request, OPTIONS and GET are read again; the bad bytes are one data event', () => {
  const bad = '\x01\x02garbage that is not a request\r\nmore junk\r\n\r\n';
  const r = run([
    ['C', bad],
    ['S', 'HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\n\r\n'],
    ['C', 'OPTIONS * HTTP/1.1\r\nHost: lab\r\n\r\n'],
    ['S', 'HTTP/1.1 204 No Content\r\nAllow: GET, OPTIONS\r\n\r\n'],
    ['C', 'GET /a.txt HTTP/1.1\r\nHost: lab\r\n\r\n'],
    ['S', 'HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nhi'],
  ]);
  const labels = r.ladder.map((e) => `${e.from[0]} ${e.kind} ${e.label}`);
  assert.deepEqual(labels, [
    `c data ${bad.length} bytes of non-HTTP data`,
    's reply 400 Bad Request',
    'c command OPTIONS *',
    's reply 204 No Content',
    'c command GET /a.txt',
    's reply 200 OK',
    's data body 2 bytes',
  ]);
  assert.ok(r.diagnostics.some((d) => d.code === 'http.start_line.invalid'));
});

test('a request line without a version does not restart HTTP (only a whole request line does)', () => {
  const r = run([
    ['C', 'xx\r\nGET /\r\nHEAD / HTTP/1.0\r\n\r\n'],
    ['S', 'HTTP/1.0 200 OK\r\n\r\n'],
  ]);
  assert.deepEqual(
    r.ladder.map((e) => e.label),
    ['11 bytes of non-HTTP data', 'HEAD /', '200 OK'],
  );
});
