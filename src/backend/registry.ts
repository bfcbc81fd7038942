import { ShearsError } from '../error.js';
import type { Backend } from './backend.js';

const backends = new Map<string, Backend>();

export function registerBackend(backend: Backend): void {
  backends.set(backend.name, backend);
}

export function getBackend(name: string): Backend {
  const b = backends.get(name);
  if (!b) throw new ShearsError('E_USAGE', `unknown back end '${name}'; available: ${[...backends.keys()].join(', ') || 'none'}`);
  return b;
}

export function backendNames(): string[] {
  return [...backends.keys()];
}
