/**
 * ConcatBlob (the helper thread's Blob for postal-mime) gives the bytes, size and type Node's Blob
 * gives for the same parts: strings (UTF-8, lone surrogates replaced), typed arrays and views at an
 * offset, ArrayBuffers, blobs, and no parts at all.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ConcatBlob } from '../../../electron/engine/offload/concat-blob';

test('ConcatBlob holds the bytes Node\'s Blob holds for the same parts', async () => {
  const backing = Uint8Array.from({ length: 64 }, (_, i) => 200 - i);
  const cases: Array<{ parts: Array<string | ArrayBuffer | Uint8Array<ArrayBuffer> | Uint16Array<ArrayBuffer> | DataView<ArrayBuffer>>; type?: string }> = [
    { parts: [] },
    { parts: ['line one', '\n', 'ünïcödé €', '\n', '\ud800 lone', '\n'], type: 'text/Plain' },
    { parts: [backing.subarray(5, 20), '\n', backing.buffer.slice(30, 40), new DataView(backing.buffer, 50, 9), new Uint16Array([0x4142, 0x4344])], type: 'application/octet-stream' },
    { parts: ['x'], type: 'bad\u0001type' },
  ];
  for (const { parts, type } of cases) {
    const node = new Blob(parts, type === undefined ? undefined : { type });
    const mine = new ConcatBlob(parts, type === undefined ? undefined : { type });
    assert.deepEqual(new Uint8Array(await mine.arrayBuffer()), new Uint8Array(await node.arrayBuffer()));
    assert.equal(mine.size, node.size);
    assert.equal(mine.type, node.type);
    assert.equal(await mine.text(), await node.text());
    // A blob of blobs, and a slice, as Blob's.
    const nested = new ConcatBlob([mine, 'tail'], {});
    assert.deepEqual(new Uint8Array(await nested.arrayBuffer()), new Uint8Array(await new Blob([node, 'tail']).arrayBuffer()));
    assert.deepEqual(new Uint8Array(await mine.slice(1, 4).arrayBuffer()), new Uint8Array(await node.slice(1, 4).arrayBuffer()));
    assert.equal(Object.prototype.toString.call(mine), '[object Blob]');
  }
});

test('the buffer ConcatBlob hands out is its own copy', async () => {
  const part = Uint8Array.of(1, 2, 3);
  const blob = new ConcatBlob([part]);
  part[0] = 9;
  const first = new Uint8Array(await blob.arrayBuffer());
  first[1] = 9;
  assert.deepEqual(new Uint8Array(await blob.arrayBuffer()), Uint8Array.of(1, 2, 3));
});
