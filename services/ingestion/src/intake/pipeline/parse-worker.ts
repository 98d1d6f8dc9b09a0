// A parse worker thread: runs parseBatch for the intake on the main thread (parser-pool.service.ts).
import { parentPort } from 'node:worker_threads';
import { ParseJob, parseBatch, transferables } from './parse-batch';

parentPort?.on('message', (msg: { id: number; job: ParseJob }) => {
  try {
    const result = parseBatch(msg.job);
    // the serialized columns and messages move to the main thread without a copy
    parentPort!.postMessage({ id: msg.id, result }, transferables(result));
  } catch (err) {
    // parseRecord never throws; anything here is a bug, reported to the waiting batch
    parentPort!.postMessage({ id: msg.id, error: err instanceof Error ? `${err.name}: ${err.message}` : String(err) });
  }
});
