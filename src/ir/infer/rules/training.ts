import type { Rule } from '../context.js';

/**
 * Optimizers of ai.onnx.preview.training: inputs (R, T, then `groups` runs of n tensors), outputs the
 * updated runs picked by `updated` (indices of input runs), each shaped like its input.
 */
function optimizer(groups: number, updated: readonly number[]): Rule {
  return (ctx) => {
    const n = (ctx.inputCount - 2) / groups;
    if (!Number.isInteger(n)) return undefined;
    return updated.flatMap((run) => Array.from({ length: n }, (_, i) => ctx.type(2 + run * n + i)));
  };
}

/** Adagrad(R, T, X..., G..., H...) gives X_new..., H_new.... */
export const adagrad = optimizer(3, [0, 2]);
/** Momentum(R, T, X..., G..., V...) gives X_new..., V_new.... */
export const momentum = optimizer(3, [0, 2]);
/** Adam(R, T, X..., G..., V..., H...) gives X_new..., V_new..., H_new.... */
export const adam = optimizer(4, [0, 2, 3]);
