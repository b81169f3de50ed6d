/**
 * Starting a workflow that must hold a claim from before it starts (a notice its hazards, a
 * suspension the decision it carries out). The claim is taken in a short transaction of its own,
 * so the check and the write are one; this module decides when a claim whose workflow's start
 * went wrong may be let go.
 *
 * A start that throws may still have reached Temporal (the answer was lost, the call timed out):
 * then the workflow runs on and will record the item, and the claim must stay. It is let go only
 * when Temporal says the workflow is not running. When Temporal cannot be asked, the claim stays,
 * and the next claimer takes it over once it is older than any request lives and Temporal, asked
 * again, still has no running workflow for it.
 */

/** Longer than any request lives: a claim this old whose workflow is not running will never be recorded. */
export const CLAIM_GRACE_MS = 5 * 60_000;

export interface ClaimBook<Held> {
  /** Takes the claim for the item; answers what others hold (then nothing is taken), or null. */
  take(): Promise<Held | null>;
  /** Of what others hold, the holders whose claims were taken before `claimedBefore` and never recorded. */
  unrecordedHolders(held: Held, claimedBefore: Date): Promise<string[]>;
  /** Lets go of the holder's claim unless the holder is recorded by now. */
  release(holderId: string): Promise<void>;
  /** Whether the holder's workflow is running (null: Temporal could not be asked). */
  running(holderId: string): Promise<boolean | null>;
}

/** Takes the claim, first taking over stale claims of holders whose workflows never ran; answers what others still hold. */
export async function takeClaim<Held>(book: ClaimBook<Held>, now: number): Promise<Held | null> {
  const held = await book.take();
  if (held === null) return null;
  const stale = await book.unrecordedHolders(held, new Date(now - CLAIM_GRACE_MS));
  let freed = false;
  for (const holder of stale) {
    if ((await book.running(holder)) !== false) continue;
    await book.release(holder);
    freed = true;
  }
  return freed ? book.take() : held;
}

/** Runs the start; when it throws, lets go of the item's own claim only if its workflow is not running. */
export async function startHoldingClaim<T>(book: Pick<ClaimBook<unknown>, 'release' | 'running'>, ownId: string, start: () => Promise<T>): Promise<T> {
  try {
    return await start();
  } catch (error) {
    if ((await book.running(ownId)) === false) await book.release(ownId);
    throw error;
  }
}
