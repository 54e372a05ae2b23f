/**
 * Presenter mode's pure parts: the URL fragment naming a slide (read back, hostile values refused)
 * and auto-play's waits on the lesson capture (evenly, or by the capture's clock scaled and bounded).
 */
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import type { ConnectionView } from '../../../api/engine-api';
import { Engine } from '../../../electron/engine/engine';
import { lessonSteps } from '../../../renderer/src/layout/lesson-steps';
import { MAX_WAIT_MS, MIN_WAIT_MS, stepTime, waitAfter } from '../../../renderer/src/layout/presenter-timing';
import { parseSlide, slideFragment } from '../../../renderer/src/layout/slide-fragment';
import { FIXTURES } from '../../helpers/fixtures';

const LESSON = join(FIXTURES, 'lessons', 'smtp-pop3-lesson.pcap');
let engine: Engine;
let lesson: ConnectionView;

before(async () => {
  engine = new Engine({});
  const a = await engine.openFile(LESSON);
  await engine.getConnections(a.id);
  lesson = await engine.getConnection(a.id, 0);
});
after(() => engine?.close());

test('a slide fragment names capture, connection and step, and reads back', () => {
  const slide = { capture: 'c2', connection: 3, step: 7, present: true };
  assert.equal(slideFragment(slide), '#c=c2&conn=3&step=7&present=1');
  assert.deepEqual(parseSlide(slideFragment(slide)), slide);
  assert.deepEqual(parseSlide('c=c1&conn=0'), { capture: 'c1', connection: 0, step: null, present: false });
  // Anything that does not name a capture and a connection is no slide; a bad step is no step.
  for (const bad of [
    '',
    '#',
    '#conn=3',
    '#c=c1',
    '#c=c1&conn=-1',
    '#c=c1&conn=3x',
    '#c=c1&conn=1e3',
    `#c=${'x'.repeat(300)}&conn=1`,
  ])
    assert.equal(parseSlide(bad), null, bad);
  assert.equal(parseSlide('#c=c1&conn=2&step=0')!.step, null);
  assert.equal(parseSlide('#c=c1&conn=2&step=abc')!.step, null);
  // A capture id with URL-special characters survives the round trip.
  assert.equal(parseSlide(slideFragment({ ...slide, capture: 'a&b=c#d' }))!.capture, 'a&b=c#d');
});

test('auto-play waits evenly, or by the capture clock within bounds, and stops at the last step', () => {
  const steps = lessonSteps(lesson.model, lesson.ladder);
  assert.equal(stepTime(steps[0], lesson.model, lesson.ladder), lesson.model.handshake.syn!.time);
  for (let i = 0; i < steps.length - 1; i++) {
    assert.equal(waitAfter(steps, i, 'even-2', lesson.model, lesson.ladder), 2000);
    assert.equal(waitAfter(steps, i, 'even-4', lesson.model, lesson.ladder), 4000);
    const gap =
      (stepTime(steps[i + 1], lesson.model, lesson.ladder) -
        stepTime(steps[i], lesson.model, lesson.ladder)) *
      1000;
    assert.ok(gap >= 0, `steps are in time order (${i})`);
    const real = waitAfter(steps, i, 'real-1', lesson.model, lesson.ladder)!;
    assert.equal(real, Math.round(Math.min(MAX_WAIT_MS, Math.max(MIN_WAIT_MS, gap))));
    const fast = waitAfter(steps, i, 'real-10', lesson.model, lesson.ladder)!;
    assert.ok(fast <= real && fast >= MIN_WAIT_MS);
  }
  assert.equal(waitAfter(steps, steps.length - 1, 'even-2', lesson.model, lesson.ladder), null);
  assert.equal(waitAfter(steps, -1, 'real-1', lesson.model, lesson.ladder), null);
});
