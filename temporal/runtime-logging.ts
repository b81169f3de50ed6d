/**
 * Routes the Temporal SDK's own log (worker state, bundling, core warnings) into the process
 * logger. The SDK is chatty at INFO, so it speaks only from WARN unless debugging.
 */
import { DefaultLogger, Runtime, type LogLevel } from '@temporalio/worker';
import type { Logger } from '../logger';

/** Said by the stock import's worker (create-worker.ts), which runs activities only by design: no warning. */
export const ACTIVITIES_ONLY = 'No workflows registered, not polling for workflow tasks';

/**
 * `metricsBindAddress` (host:port) also opens the SDK's Prometheus exporter there: the worker's
 * task slots, polls, schedule-to-start latency, activity failures
 * (`temporal_activity_execution_failed`) and duban's own counters (`duban_activity_retries`).
 */
export function installSdkLogging(log: Logger, opts: { metricsBindAddress?: string } = {}): void {
  const verbose = log.level === 'debug' || log.level === 'trace';
  const level: LogLevel = verbose ? 'DEBUG' : 'WARN';
  Runtime.install({
    ...(opts.metricsBindAddress
      ? { telemetryOptions: { metrics: { prometheus: { bindAddress: opts.metricsBindAddress, countersTotalSuffix: true, useSecondsForDurations: true } } } }
      : {}),
    logger: new DefaultLogger(level, ({ level: sdkLevel, message, meta }) => {
      const target = sdkLevel === 'ERROR' ? 'error' : sdkLevel === 'WARN' ? (message === ACTIVITIES_ONLY ? 'info' : 'warn') : sdkLevel === 'INFO' ? 'info' : 'debug';
      log[target]({ sdk: meta }, message);
    }),
  });
}
