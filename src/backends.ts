/** The back ends shears offers (CLI and library), one line each. */
import { cpuJsBackend } from '../backends/cpu-js/backend.js';
import { registerBackend } from './backend/registry.js';

registerBackend(cpuJsBackend);
