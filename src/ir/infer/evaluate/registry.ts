import type { Evaluator } from '../context.js';
import { ARITHMETIC } from './arith.js';
import { MOVEMENT } from './movement.js';
import { REDUCTIONS } from './reduce.js';

/** Ops whose outputs inference computes from known inputs (default domain only). */
const EVALUATORS: Record<string, Evaluator> = { ...ARITHMETIC, ...MOVEMENT, ...REDUCTIONS };

export function evaluatorFor(domain: string, opType: string): Evaluator | undefined {
  if (domain !== '' && domain !== 'ai.onnx') return undefined;
  return Object.hasOwn(EVALUATORS, opType) ? EVALUATORS[opType] : undefined;
}
