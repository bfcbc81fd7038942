/** Identity passes any value through (tensor, sequence or optional) without copying. */
import { registerKernel } from '../kernel.js';

registerKernel({ op: 'Identity', widenHalf: false, create: () => (inputs) => [inputs[0] ?? null] });
