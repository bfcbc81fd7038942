import { broadcastRule } from './broadcast.js';
import { concatRule } from './concat.js';
import { convRule } from './conv.js';
import { gatherRule } from './gather.js';
import { gemmRule } from './gemm.js';
import { matmulRule } from './matmul.js';
import { layerNormRule, perChannelNormRule } from './normalization.js';
import { padRule, poolRule } from './pool.js';
import { reduceRule } from './reduce.js';
import { reshapeRule } from './reshape.js';
import { shapeRule } from './shape.js';
import { sliceRule } from './slice.js';
import { splitRule } from './split.js';
import { transposeRule } from './transpose.js';
import type { ChannelRule } from './types.js';
import { softmaxRule, unaryRule } from './unary.js';

/** A Constant node's output is a constant like an initializer: apply slices it, nothing to relate. */
const constantRule: ChannelRule = { ops: ['Constant'], relate: () => undefined };

/** Every coupling rule; a new op is one rule file and one entry here. */
const RULES: readonly ChannelRule[] = [
  convRule, gemmRule, matmulRule, perChannelNormRule, layerNormRule, unaryRule, softmaxRule, broadcastRule,
  concatRule, splitRule, sliceRule, gatherRule, poolRule, padRule, reduceRule, reshapeRule, transposeRule, shapeRule, constantRule,
];

const BY_OP = new Map<string, ChannelRule>(RULES.flatMap((r) => r.ops.map((op) => [op, r] as const)));

/** Ops that create channels (their outputs are new units); the analysis starts from them. */
export const SEED_OPS: ReadonlySet<string> = new Set(['Conv', 'ConvTranspose', 'Gemm', 'MatMul']);

export function ruleFor(opType: string): ChannelRule | undefined {
  return BY_OP.get(opType);
}
