import { Inject, Injectable, OnApplicationShutdown, OnModuleInit } from '@nestjs/common';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { Worker } from 'node:worker_threads';
import { createLogger } from '@kanshi/observability';
import { PLATFORM_CONFIG } from '@kanshi/platform';
import { IngestionConfig } from '../../config';
import { inputTransferables, ParseJob, ParsedBatch, parseBatch } from './parse-batch';

interface Pending {
  resolve(batch: ParsedBatch): void;
  reject(err: Error): void;
}

interface PoolWorker {
  worker: Worker;
  pending: Map<number, Pending>;
}

// Parsing and normalizing is most of intake's CPU: it runs on worker threads, so the main
// thread keeps serving sockets, the database and NATS, and a second core is used. Batches go to
// the least busy worker. INGEST_PARSE_WORKERS=0 parses on the main thread.
@Injectable()
export class ParserPool implements OnModuleInit, OnApplicationShutdown {
  private readonly log = createLogger('ParserPool');
  private readonly workers: PoolWorker[] = [];
  private nextId = 1;
  private stopping = false;

  constructor(@Inject(PLATFORM_CONFIG) private readonly config: IngestionConfig) {}

  onModuleInit(): void {
    for (let i = 0; i < this.config.INGEST_PARSE_WORKERS; i++) this.workers.push(this.spawn());
  }

  // After every module stopped (the listeners deliver their last batches while stopping).
  async onApplicationShutdown(): Promise<void> {
    this.stopping = true;
    await Promise.all(this.workers.splice(0).map((w) => w.worker.terminate()));
  }

  parse(job: ParseJob): Promise<ParsedBatch> {
    if (this.workers.length === 0) return Promise.resolve(parseBatch(job));
    const w = this.workers.reduce((a, b) => (b.pending.size < a.pending.size ? b : a));
    const id = this.nextId++;
    return new Promise<ParsedBatch>((resolve, reject) => {
      w.pending.set(id, { resolve, reject });
      // the input's buffers move to the worker (the caller no longer uses them)
      w.worker.postMessage({ id, job }, inputTransferables(job.input));
    });
  }

  private spawn(): PoolWorker {
    const entry = workerEntry();
    const worker = new Worker(entry.file, { eval: entry.eval, workerData: entry.workerData, resourceLimits: { maxYoungGenerationSizeMb: youngGenerationMb(this.config.INGEST_PARSE_WORKERS), maxOldGenerationSizeMb: 256 } });
    const pw: PoolWorker = { worker, pending: new Map() };
    worker.on('message', (msg: { id: number; result?: ParsedBatch; error?: string }) => {
      const p = pw.pending.get(msg.id);
      if (!p) return;
      pw.pending.delete(msg.id);
      if (msg.result) p.resolve(msg.result);
      else p.reject(new Error(`parse worker: ${msg.error}`));
    });
    worker.on('error', (err) => this.log.error({ err }, 'parse worker failed'));
    worker.on('exit', (code) => {
      // The batches it held fail (their senders retry); a new worker takes its place.
      for (const p of pw.pending.values()) p.reject(new Error(`parse worker exited with code ${code}`));
      pw.pending.clear();
      const i = this.workers.indexOf(pw);
      if (i >= 0 && !this.stopping) {
        this.log.warn({ code }, 'parse worker exited; starting another');
        this.workers[i] = this.spawn();
      }
    });
    return pw;
  }
}

// Parsing makes many short-lived objects: a larger young generation lets most of them die in
// cheap scavenges instead of being promoted and mark-compacted. A lone worker gets 64 MB (half
// the scavenges per event of 32 MB, a third of the mark-compacts; 96 MB saved little more and
// cost up to 70 MB of peak RSS). Several workers get 24 MB each. In the ingest benchmark, two
// workers peaked at 531 MB RSS with 64 MB, 460-494 MB with 32 MB and 431-447 MB with 24 MB,
// at the same throughput within the run-to-run noise; 16 MB saved no more.
export function youngGenerationMb(workers: number): number {
  return workers > 1 ? 24 : 64;
}

// The compiled worker next to this file; from the TypeScript sources (tests), the same file
// compiled on load with swc, the compiler the build uses.
function workerEntry(): { file: string; eval: boolean; workerData?: unknown } {
  const js = path.join(__dirname, 'parse-worker.js');
  if (existsSync(js)) return { file: js, eval: false };
  const ts = path.join(__dirname, 'parse-worker.ts');
  const loader = `
    const fs = require('node:fs');
    const swc = require('@swc/core');
    require.extensions['.ts'] = (module, filename) => {
      const { code } = swc.transformSync(fs.readFileSync(filename, 'utf8'), {
        filename, module: { type: 'commonjs' }, jsc: { target: 'es2022', parser: { syntax: 'typescript' } },
      });
      module._compile(code, filename);
    };
    require(require('node:worker_threads').workerData);
  `;
  return { file: loader, eval: true, workerData: ts };
}
