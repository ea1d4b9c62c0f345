/**
 * Where chunks are parsed: a pool of worker threads (compiled JS under dist/), or the main thread.
 * Under ts-jest the worker file is TypeScript, which a worker cannot load without a loader, so the pool
 * is only used when the compiled parseWorker.js sits next to this file.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { Worker } from 'worker_threads';
import { swarmscopeError } from '../core/errors';
import { parseChunk } from './chunkParser';
import type { WorkerRequest, WorkerResponse } from './parseWorker';
import type { ChunkJob, ChunkResult } from './types';

export interface ChunkRunner {
  /** Number of worker threads (0 = main thread). */
  readonly workers: number;
  run(job: ChunkJob): Promise<ChunkResult>;
  close(): Promise<void>;
}

export class InThreadRunner implements ChunkRunner {
  readonly workers = 0;
  run(job: ChunkJob): Promise<ChunkResult> {
    try {
      return Promise.resolve(parseChunk(job));
    } catch (error) {
      return Promise.reject(error);
    }
  }
  async close(): Promise<void> {}
}

/** The compiled worker script, or null when running from TypeScript sources. */
export function workerScript(): string | null {
  if (!__filename.endsWith('.js')) return null;
  const script = path.join(__dirname, 'parseWorker.js');
  return fs.existsSync(script) ? script : null;
}

/** Default worker count: one per core, up to 4 (the main thread builds the World alongside). */
export function defaultWorkerCount(): number {
  const cores = typeof os.availableParallelism === 'function' ? os.availableParallelism() : os.cpus().length;
  return cores >= 2 ? Math.min(cores, 4) : 0;
}

export class WorkerPool implements ChunkRunner {
  private readonly pool: Worker[] = [];
  private readonly busy: number[] = [];
  private readonly pending = new Map<number, { worker: number; resolve: (r: ChunkResult) => void; reject: (e: Error) => void }>();
  private nextId = 0;
  private failure: Error | null = null;

  constructor(
    script: string,
    readonly workers: number,
  ) {
    for (let w = 0; w < workers; w++) {
      const worker = new Worker(script);
      worker.on('message', (response: WorkerResponse) => this.settle(response));
      worker.on('error', (error) => this.fail(error));
      worker.on('exit', (code) => {
        if (code !== 0) this.fail(new Error(`parse worker exited with code ${code}`));
      });
      this.pool.push(worker);
      this.busy.push(0);
    }
  }

  private settle(response: WorkerResponse): void {
    const waiting = this.pending.get(response.id);
    if (!waiting) return;
    this.pending.delete(response.id);
    this.busy[waiting.worker]--;
    if (response.result) waiting.resolve(response.result);
    else waiting.reject(swarmscopeError('INTERNAL', `parse worker failed: ${response.error}`));
  }

  private fail(error: Error): void {
    this.failure ??= error;
    for (const waiting of this.pending.values()) waiting.reject(error);
    this.pending.clear();
  }

  run(job: ChunkJob): Promise<ChunkResult> {
    if (this.failure) return Promise.reject(this.failure);
    let worker = 0;
    for (let w = 1; w < this.pool.length; w++) if (this.busy[w] < this.busy[worker]) worker = w;
    const id = this.nextId++;
    // Send an exact-size copy and transfer it: cloning a view would copy its whole backing buffer.
    const bytes = new Uint8Array(job.bytes.length);
    bytes.set(job.bytes);
    const request: WorkerRequest = { id, job: { ...job, bytes } };
    return new Promise<ChunkResult>((resolve, reject) => {
      this.pending.set(id, { worker, resolve, reject });
      this.busy[worker]++;
      this.pool[worker].postMessage(request, [bytes.buffer]);
    });
  }

  async close(): Promise<void> {
    await Promise.all(this.pool.map((worker) => worker.terminate()));
  }
}

/** A pool when asked for workers and the compiled worker exists; otherwise the main thread. */
export function createRunner(workers: number): ChunkRunner {
  const script = workerScript();
  if (workers <= 0 || script === null) return new InThreadRunner();
  return new WorkerPool(script, workers);
}
