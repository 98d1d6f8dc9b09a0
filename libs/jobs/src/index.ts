export { JobQueue, defineJob } from './job-queue';
export type { JobContext, JobDefinition, JobHandler, JobOptions, JobPolicy, JobQueueOptions, SendOptions } from './job-queue';
