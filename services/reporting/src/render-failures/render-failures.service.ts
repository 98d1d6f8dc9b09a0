import { Injectable } from '@nestjs/common';
import { authorize, Principal } from '@kanshi/auth';
import { JobContext } from '@kanshi/jobs';
import { counter, createLogger } from '@kanshi/observability';
import { RenderFailureRef } from './render-failure-ref';
import { RenderFailureRow } from './render-failure.row';
import { RenderFailuresPermissions } from './render-failures.permissions';
import { RenderFailuresRepository } from './render-failures.repository';

export const RENDER_FAILURE_LIST_LIMIT = 200;

const failures = counter('kanshi_report_render_failures_total', 'Report render jobs that failed their last attempt, by kind', ['kind']);

// A report render job's last word: a job whose every attempt failed is logged at error level,
// counted, and listed for provider staff (failedReportRenders) with the request that would make
// it again; a later success of the same job key clears it. The job queue keeps the job too.
@Injectable()
export class RenderFailures {
  private readonly log = createLogger('RenderFailures');

  constructor(private readonly repo: RenderFailuresRepository) {}

  // Wrap a render job's work: `jobs.work(Job, (data, job) => failures.track(job, ref, () => make(data)))`.
  async track<T>(job: JobContext, ref: RenderFailureRef, work: () => Promise<T>): Promise<T> {
    try {
      const out = await work();
      await this.repo.resolve(ref.jobKey);
      return out;
    } catch (err) {
      if (job.retryCount >= job.retryLimit) {
        const message = err instanceof Error ? err.message : String(err);
        failures.inc({ kind: ref.kind });
        this.log.error({ jobKey: ref.jobKey, kind: ref.kind, customerId: ref.customerId, subjectId: ref.subjectId, attempts: job.retryCount + 1, err: message }, 'report render failed after every retry');
        await this.repo.record(ref, message, job.retryCount + 1);
      }
      throw err;
    }
  }

  async list(principal: Principal): Promise<RenderFailureRow[]> {
    authorize(principal, RenderFailuresPermissions.readRenderFailures);
    return this.repo.open(RENDER_FAILURE_LIST_LIMIT);
  }
}
