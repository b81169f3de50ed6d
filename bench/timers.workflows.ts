/** The timer benchmark's worker runs duban's workflows and the probe (bench/timer-probe.workflow.ts) from one bundle. */
export * from '../workflows/index';
export { timerProbeWorkflow } from './timer-probe.workflow';
