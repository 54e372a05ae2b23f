/** ascendingUnique / mergeFrameLists: ascending, each frame once; an ascending list is returned as is. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ascendingUnique, mergeFrameLists } from '../../../dissectors/model/frame-list';

const reference = (xs: number[]): number[] => [...new Set(xs)].sort((a, b) => a - b);

test('an ascending list is the same array; any other list is sorted without repeats', () => {
  const up = [1, 4, 9, 10];
  assert.equal(ascendingUnique(up), up);
  assert.deepEqual(ascendingUnique([]), []);
  assert.deepEqual(ascendingUnique([5, 5, 6]), [5, 6]);
  assert.deepEqual(ascendingUnique([9, 2, 7, 2, 100, 11]), [2, 7, 9, 11, 100]);
  let s = 3;
  for (let k = 0; k < 2000; k++) {
    const xs = Array.from({ length: k % 13 }, () => ((s = (s * 1103515245 + 12345) >>> 0) % 50) + 1);
    assert.deepEqual(ascendingUnique(xs.slice()), reference(xs), xs.join(','));
  }
});

test('mergeFrameLists merges into a new array', () => {
  const a = [1, 2, 3];
  const merged = mergeFrameLists(a);
  assert.notEqual(merged, a);
  assert.deepEqual(merged, [1, 2, 3]);
  assert.deepEqual(mergeFrameLists([3, 8], [8, 9], [1]), [1, 3, 8, 9]);
  assert.deepEqual(mergeFrameLists([], [4, 2]), [2, 4]);
});
