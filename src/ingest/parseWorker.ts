/** Worker-thread entry: parses chunk jobs with parseChunk and posts the batches back, transferring their typed arrays. */
import { parentPort } from 'worker_threads';
import { parseChunk } from './chunkParser';
import type { ChunkJob, ChunkResult } from './types';

export interface WorkerRequest {
  id: number;
  job: ChunkJob;
}

export interface WorkerResponse {
  id: number;
  result?: ChunkResult;
  error?: string;
}

function transferables(result: ChunkResult): ArrayBuffer[] {
  const buffers: ArrayBuffer[] = [];
  for (const value of Object.values(result.batch)) {
    if (ArrayBuffer.isView(value)) buffers.push(value.buffer as ArrayBuffer);
  }
  return buffers;
}

if (parentPort) {
  const port = parentPort;
  port.on('message', (request: WorkerRequest) => {
    try {
      const result = parseChunk(request.job);
      port.postMessage({ id: request.id, result } satisfies WorkerResponse, transferables(result));
    } catch (error) {
      port.postMessage({ id: request.id, error: (error as Error).stack ?? String(error) } satisfies WorkerResponse);
    }
  });
}
