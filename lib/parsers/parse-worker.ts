/**
 * The worker thread of parse-pool.ts: parses one large body per message with
 * the same function the event loop would use, and answers with the value or the
 * parser's refusal (code and detail). It keeps no state between messages.
 */
import { parentPort } from 'node:worker_threads';
import { isAppError } from '../errors';
import type { ParseJob, ParseAnswer } from './parse-pool';
import { parseXmlBytes } from './xml';

const port = parentPort!;

port.on('message', (job: ParseJob) => {
  let answer: ParseAnswer;
  try {
    answer = { id: job.id, ok: true, value: parseXmlBytes(Buffer.from(job.raw.buffer, job.raw.byteOffset, job.raw.byteLength), job.charset, job.maxDepth) };
  } catch (error) {
    answer = isAppError(error)
      ? { id: job.id, ok: false, code: error.code, detail: error.detail }
      : { id: job.id, ok: false, code: 'ERR_INTERNAL', detail: String((error as Error)?.stack ?? error) };
  }
  port.postMessage(answer);
});
