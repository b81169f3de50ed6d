/** A progress line on stderr: how far, how fast (rows a second), and how long still to go. */

export function duration(ms: number): string {
  const s = Math.max(0, Math.round(ms / 1000));
  if (s < 60) return `${s}s`;
  const m = Math.floor(s / 60);
  return m < 60 ? `${m}m${String(s % 60).padStart(2, '0')}s` : `${Math.floor(m / 60)}h${String(m % 60).padStart(2, '0')}m`;
}

export class Progress {
  private readonly started = Date.now();
  private shown = 0;
  private lastDecile = -1;

  constructor(
    private readonly total: number,
    private readonly out: NodeJS.WriteStream | null = process.stderr,
  ) {}

  /** `done` hazards of the total, `rows` rows written in all (hazards, events, heads, notifications). */
  update(done: number, rows: number): void {
    if (!this.out) return;
    const now = Date.now();
    const elapsed = now - this.started;
    const decile = Math.floor((done / this.total) * 10);
    if (this.out.isTTY ? now - this.shown < 250 && done < this.total : decile === this.lastDecile) return;
    this.shown = now;
    this.lastDecile = decile;
    const share = done / this.total;
    const width = 30;
    const bar = '#'.repeat(Math.round(share * width)).padEnd(width, '.');
    const rate = elapsed > 0 ? Math.round((rows / elapsed) * 1000) : 0;
    const eta = share > 0 ? duration((elapsed / share) * (1 - share)) : '?';
    const line = `hazards [${bar}] ${done.toLocaleString('en')}/${this.total.toLocaleString('en')} ${(share * 100).toFixed(0)}% · ${rate.toLocaleString('en')} rows/s · ETA ${eta}`;
    this.out.write(this.out.isTTY ? `\r${line}` : `${line}\n`);
  }

  finish(): void {
    if (this.out?.isTTY) this.out.write('\n');
  }
}
