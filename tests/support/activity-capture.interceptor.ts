/**
 * A workflow interceptor for replay checks: tells the worker each activity the workflow code
 * schedules, with its arguments, so a test can set them beside the ones the history recorded.
 */
import { proxySinks, type Sinks, type WorkflowInterceptorsFactory } from '@temporalio/workflow';

export interface ActivityCaptureSinks extends Sinks {
  activities: { scheduled(activityType: string, args: unknown[]): void };
}

const { activities } = proxySinks<ActivityCaptureSinks>();

export const interceptors: WorkflowInterceptorsFactory = () => ({
  outbound: [
    {
      scheduleActivity(input, next) {
        activities.scheduled(input.activityType, input.args);
        return next(input);
      },
    },
  ],
});
