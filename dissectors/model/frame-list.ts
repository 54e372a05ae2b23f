/**
 * Frame numbers of an event: ascending, each once. The lists are nearly always ascending already
 * (bytes arrive in frame order), so that case costs one pass, without the Set and sort (which
 * allocate) that the general case needs.
 */

/** `frames` itself when strictly ascending, else a sorted copy without repeats. */
export function ascendingUnique(frames: number[]): number[] {
  for (let i = 1; i < frames.length; i++) {
    if (frames[i] <= frames[i - 1]) return [...new Set(frames)].sort((a, b) => a - b);
  }
  return frames;
}

/** The frames of several lists, ascending, each once (a new array). */
export function mergeFrameLists(...lists: number[][]): number[] {
  return ascendingUnique(lists.flat());
}
