/** Entry of a cpu-js worker thread in Node (worker_threads). */
import { parentPort } from 'node:worker_threads';
import { handleMessage } from './worker-core.js';
import type { ToWorker } from './messages.js';

const port = parentPort!;
port.on('message', (m: ToWorker) => handleMessage(m, (r) => port.postMessage(r)));
