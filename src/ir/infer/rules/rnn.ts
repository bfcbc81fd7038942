import type { Dim } from '../../types.js';
import type { Rule } from '../context.js';
import { tensorOf } from './common.js';

/**
 * RNN, GRU, LSTM share one output layout: Y [seq, dirs, batch, hidden] and Y_h (LSTM: Y_c too)
 * [dirs, batch, hidden]; with layout=1 the batch comes first. `gates` is how many blocks of
 * `hidden_size` rows W holds (1, 3, 4), used when the attribute is absent.
 */
function recurrent(gates: number): Rule {
  return (ctx) => {
    const dtype = ctx.dtype(0);
    const x = ctx.shape(0);
    const node = ctx.node;
    const layout = node.getInt('layout', 0);
    const dirs = node.getString('direction', 'forward') === 'bidirectional' ? 2 : 1;
    const [seq, batch]: Dim[] = x && x.length === 3 ? (layout === 0 ? [x[0], x[1]] : [x[1], x[0]]) : [null, null];
    const w = ctx.shape(1);
    const r = ctx.shape(2);
    const fromW = w && typeof w[1] === 'number' ? w[1] / gates : null;
    const hidden: Dim = node.getInt('hidden_size') ?? (r && typeof r[2] === 'number' ? r[2] : fromW);
    const y = layout === 0 ? [seq, dirs, batch, hidden] : [batch, seq, dirs, hidden];
    const state = layout === 0 ? [dirs, batch, hidden] : [batch, dirs, hidden];
    return [tensorOf(dtype, y), tensorOf(dtype, state), tensorOf(dtype, state)];
  };
}

export const rnn = recurrent(1);
export const gru = recurrent(3);
export const lstm = recurrent(4);
