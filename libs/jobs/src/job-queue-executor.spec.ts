// pg-boss's statements through Kanshi's executor: a PostgreSQL restart must neither lose a
// statement that never reached the server nor kill the process through the completion pg-boss
// does not await (found by the chaos run: the incident service died on a PostgreSQL restart).
// The statement texts are pg-boss's own (the pinned version's plans).
import { isCompletionSql, resilientExecutor } from './job-queue';
// eslint-disable-next-line @typescript-eslint/no-require-imports
const plans = require('pg-boss/src/plans') as Record<string, (schema: string) => string>;

const pgError = (code: string, message: string) => Object.assign(new Error(message), { code });

describe('the job queue executor', () => {
  it('knows pg-boss’s completion and failure-by-id statements, and nothing else, as completions', () => {
    expect(isCompletionSql(plans.completeJobs('incident_jobs'))).toBe(true);
    expect(isCompletionSql(plans.failJobsById('incident_jobs'))).toBe(true);
    for (const other of ['fetchNextJob', 'insertJob', 'insertJobs', 'failJobsByTimeout', 'cancelJobs', 'retryJobs', 'deleteJobs']) {
      expect([other, isCompletionSql(plans[other]('incident_jobs'))]).toEqual([other, false]);
    }
  });

  it('sends a statement again while PostgreSQL is restarting, then answers with its result', async () => {
    const answers: unknown[] = [pgError('57P03', 'the database system is starting up'), pgError('ECONNREFUSED', 'connect ECONNREFUSED 127.0.0.1:5432'), { rows: [{ id: 'job-1' }] }];
    const calls: string[] = [];
    const db = resilientExecutor(async (text) => {
      calls.push(text);
      const a = answers.shift();
      if (a instanceof Error) throw a;
      return a as { rows: any[] };
    }, { warn: () => undefined }, 5000);
    await expect(db.executeSql(plans.fetchNextJob('s'), [])).resolves.toEqual({ rows: [{ id: 'job-1' }] });
    expect(calls).toHaveLength(3);
  });

  it('gives up after its retry period with the last error', async () => {
    const db = resilientExecutor(async () => {
      throw pgError('57P03', 'the database system is shutting down');
    }, { warn: () => undefined }, 300);
    await expect(db.executeSql(plans.insertJob('s'), [])).rejects.toThrow('shutting down');
  });

  it('never sends again a statement that may have run (connection cut mid-statement): the error stands', async () => {
    let calls = 0;
    const db = resilientExecutor(async () => {
      calls++;
      throw pgError('57P01', 'terminating connection due to administrator command');
    }, { warn: () => undefined }, 5000);
    await expect(db.executeSql(plans.insertJob('s'), [])).rejects.toThrow('administrator command');
    expect(calls).toBe(1);
  });

  it('logs a completion that could not be written and answers "none completed" instead of rejecting', async () => {
    const warnings: string[] = [];
    const db = resilientExecutor(async () => {
      throw pgError('57P01', 'terminating connection due to administrator command');
    }, { warn: (_o, msg) => warnings.push(msg) }, 5000);
    await expect(db.executeSql(plans.completeJobs('s'), ['q', ['id']])).resolves.toEqual({ rows: [{ count: '0' }] });
    await expect(db.executeSql(plans.failJobsById('s'), ['q', ['id'], {}])).resolves.toEqual({ rows: [{ count: '0' }] });
    expect(warnings).toEqual([expect.stringContaining('runs again when it expires'), expect.stringContaining('runs again when it expires')]);
  });
});
