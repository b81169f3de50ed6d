// A webpack loader for the determinism test only: a workflow as a careless change would leave it,
// sleeping before its first step (a timer where the recorded history has an activity or a marker).
// `marker`: the line that opens the workflow's function.
module.exports = function alterWorkflow(source) {
  const { marker } = this.getOptions();
  if (!source.includes(marker)) throw new Error(`${marker} not found: update the determinism test`);
  return `import { sleep as alteredSleep } from '@temporalio/workflow';\n${source.replace(marker, `${marker}\n  await alteredSleep(4321);`)}`;
};
