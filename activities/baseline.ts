/** The benchmark baseline's activity: a round trip through Temporal with no work of its own. */
export function createBaselineActivities() {
  return {
    async touch(step: number): Promise<number> {
      return step;
    },
  };
}
