/**
 * Turns at a costly job in this process (decoding a photo, reading a workbook): a few at once,
 * a bounded line waiting behind them, and a refusal past it, so a flood of such requests is
 * answered "busy" rather than taking the process's memory.
 */
export class Turns {
  private running = 0;
  private readonly waiting: Array<() => void> = [];

  /** A turn (call the answer when done), or null when `concurrent` run and `maxQueued` already wait. */
  async take(concurrent: number, maxQueued: number): Promise<(() => void) | null> {
    if (this.running >= concurrent) {
      if (this.waiting.length >= maxQueued) return null;
      // The turn is handed over by the one ending (still counted as running): a newcomer taking a
      // turn before this one wakes must not find it free.
      await new Promise<void>((resolve) => this.waiting.push(resolve));
    } else this.running += 1;
    let given = false;
    return () => {
      if (given) return;
      given = true;
      const next = this.waiting.shift();
      if (next) next();
      else this.running -= 1;
    };
  }
}
