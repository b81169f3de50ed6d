// A webpack loader for the determinism test only: the hazard workflow as a careless change would
// leave it, sleeping before its first step (a timer where the recorded history has an activity).
module.exports = function alterHazardWorkflow(source) {
  const marker = 'export async function hazardWorkflow(input: HazardWorkflowInput): Promise<HazardView> {';
  if (!source.includes(marker)) throw new Error('hazardWorkflow not found: update the determinism test');
  return `import { sleep as alteredSleep } from '@temporalio/workflow';\n${source.replace(marker, `${marker}\n  await alteredSleep(4321);`)}`;
};
