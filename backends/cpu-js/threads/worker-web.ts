/** Entry of a cpu-js worker thread in a browser (a module Web Worker). */
import { handleMessage } from './worker-core.js';
import type { ToWorker } from './messages.js';

self.onmessage = (e: MessageEvent<ToWorker>) => handleMessage(e.data, (r) => self.postMessage(r));
