import { defineJob } from '@kanshi/jobs';
import type { PullSource } from './detection-pull.service';

// Every DETECTION_PULL_INTERVAL_MS one tick (once across replicas) queues one pull job per source;
// a source's job is a singleton (at most one queued per source), retried with back-off.
export const DetectionPullTickJob = defineJob('detection-pull-tick', { retryLimit: 1, retryDelaySeconds: 5, expireInSeconds: 120, policy: 'stately' });
export const DetectionPullJob = defineJob<{ source: PullSource }>('detection-pull', { retryLimit: 5, retryDelaySeconds: 10, retryBackoff: true, expireInSeconds: 600, policy: 'stately' });
