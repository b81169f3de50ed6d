/** The timer benchmark's figures as printed: lateness of the timers beside the cron sweeper's, memory and load. */
import type { Spread } from './spread';
import type { TimersResult } from './timers-measure';

const ms = (v: number) => (Number.isFinite(v) ? Math.round(v).toLocaleString('en') : '—');

export function formatTimers(r: TimersResult): string {
  const row = (label: string, f: (s: Spread) => number) => `  ${label.padEnd(8)} ${ms(f(r.fired)).padStart(14)} ${ms(f(r.written)).padStart(14)} ${ms(f(r.sweeper)).padStart(14)}`;
  const lines = [
    `${r.open.toLocaleString('en')} open hazards started at ${r.openStart.perSecond.toFixed(1)}/s (asked ${r.rate}/s) in ${r.openStart.seconds.toFixed(1)} s; burst of ${r.burst.toLocaleString('en')} (${r.kind}) started at ${r.burstStart.perSecond.toFixed(1)}/s${r.burstStart.startedAfterDue ? `, ${r.burstStart.startedAfterDue} after their due instant` : ''}`,
    `due window from ${r.window.start}${r.window.spreadMs ? `, spread over ${r.window.spreadMs / 1000} s` : ', all at once'}; sweeper every ${r.window.periodMs / 1000} s`,
    `lateness, ms     timer: fired   timer: written   cron sweep`,
    row('count', (s) => s.count),
    row('median', (s) => s.median),
    row('p95', (s) => s.p95),
    row('p99', (s) => s.p99),
    row('max', (s) => s.max),
    `  sweeps: ${r.sweeper.sweeps}, each ${ms(r.sweeper.sweepMs.median)} ms median, ${ms(r.sweeper.sweepMs.max)} ms max; reminders missing: ${r.missing}; strays from the open hazards: ${r.strays.count}${r.strays.lateness ? ` (median ${ms(r.strays.lateness.median)} ms, max ${ms(r.strays.lateness.max)} ms late)` : ''}`,
    `RSS with ${(r.open + r.burst).toLocaleString('en')} open: worker ${r.rss.workerAtOpenMB} MB, Temporal server ${r.rss.serverAtOpenMB ?? '—'} MB; peaks ${r.rss.workerPeakMB} / ${r.rss.serverPeakMB ?? '—'} MB; worker's cached workflows at the end: ${r.cachedWorkflows}`,
    `load average before ${r.load.before.map((l) => l.toFixed(2)).join(' ')}, with all open ${r.load.atOpen.map((l) => l.toFixed(2)).join(' ')}, after ${r.load.after.map((l) => l.toFixed(2)).join(' ')}`,
  ];
  return lines.join('\n');
}
