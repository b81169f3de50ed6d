/**
 * How a case workflow takes urges (催办): the Update a leader sends through the API, checked like
 * every command, and the signal a bulk urge sends, which passes over an item it may not urge now
 * (settled meanwhile, or urged within the quiet window) and records nothing for it.
 */
import { setHandler } from '@temporalio/workflow';
import type { Refusal } from '../domain/refusal';
import type { UrgeCommand } from '../domain/urge';
import { command, type Lane } from './commands';
import { bulkUrgeSignal, urgeUpdate } from './urge.messages';

export function acceptUrges(lane: Lane, check: (cmd: UrgeCommand) => Refusal | null, urge: (cmd: UrgeCommand) => Promise<number>): void {
  command(lane, urgeUpdate, check, async (cmd) => ({ urgedAt: await urge(cmd) }));
  setHandler(bulkUrgeSignal, (cmd) =>
    lane.exclusive(async () => {
      if (!check(cmd)) await urge(cmd);
    }),
  );
}
