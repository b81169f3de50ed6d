/** Turns at a costly job: a turn let go goes to the first one waiting, never to a newcomer meanwhile. */
import { expect, it } from 'vitest';
import { Turns } from '../../evidence/turns';

/** Whether the promise has settled once the jobs already queued have run. */
async function settled(p: Promise<unknown>): Promise<boolean> {
  let done = false;
  void p.then(() => (done = true));
  await new Promise((r) => setImmediate(r));
  return done;
}

it('hands a turn let go to the one waiting; a newcomer in the meantime waits its turn too', async () => {
  const turns = new Turns();
  const first = await turns.take(1, 2);
  const waiting = turns.take(1, 2);
  expect(await settled(waiting)).toBe(false);
  first!();
  // Asked before the waiting one has woken: the turn is already the waiting one's.
  const newcomer = turns.take(1, 2);
  const second = await waiting;
  expect(second).toBeTypeOf('function');
  expect(await settled(newcomer)).toBe(false);
  second!();
  const third = await newcomer;
  expect(third).toBeTypeOf('function');
  // One at a time throughout: with the third running, a fourth waits.
  const fourth = turns.take(1, 2);
  expect(await settled(fourth)).toBe(false);
  third!();
  (await fourth)!();
  // All let go: a turn is free at once.
  expect(await settled(turns.take(1, 0))).toBe(true);
});

it('refuses past the line, and a turn let go twice frees one turn only', async () => {
  const turns = new Turns();
  const a = await turns.take(2, 0);
  const b = await turns.take(2, 0);
  expect(await turns.take(2, 0)).toBeNull();
  a!();
  a!();
  const c = await turns.take(2, 0);
  expect(c).toBeTypeOf('function');
  expect(await turns.take(2, 0)).toBeNull();
  b!();
  c!();
});
