/**
 * Routes the Temporal SDK's own log (worker state, bundling, core warnings) into the process
 * logger. The SDK is chatty at INFO, so it speaks only from WARN unless debugging.
 */
import { DefaultLogger, Runtime, type LogLevel } from '@temporalio/worker';
import type { Logger } from '../logger';

export function installSdkLogging(log: Logger): void {
  const verbose = log.level === 'debug' || log.level === 'trace';
  const level: LogLevel = verbose ? 'DEBUG' : 'WARN';
  Runtime.install({
    logger: new DefaultLogger(level, ({ level: sdkLevel, message, meta }) => {
      const target = sdkLevel === 'ERROR' ? 'error' : sdkLevel === 'WARN' ? 'warn' : sdkLevel === 'INFO' ? 'info' : 'debug';
      log[target]({ sdk: meta }, message);
    }),
  });
}
