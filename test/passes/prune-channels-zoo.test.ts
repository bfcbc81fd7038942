/**
 * prune-channels on the exported zoo (torchvision CNNs at 64x64, an MLP, a Transformer encoder;
 * see test/fixtures/build-prune-zoo.py): for each model, with ratio 0.5 (l1) and with a random
 * selection, the pruned model is valid, runs in ORT and matches the soft-pruned model; parameters
 * and FLOPs go down; and every prunable channel of the CNNs is reachable (none blocked).
 */
import { afterAll, describe, expect, test } from 'vitest';
import { checkInvariant, randomChoice, ZOO_CNNS as CNNS, zooModel } from './channel-helpers.js';
import type { PruneChannelsReport } from '../../passes/prune-channels/report.js';


const rows: string[] = [];

function summarize(name: string, r: PruneChannelsReport): string {
  const pct = (a: number, b: number): string => `${((100 * a) / b).toFixed(1)}%`;
  const blocked = r.groups.filter((g) => g.status === 'blocked').length;
  return `${name.padEnd(20)} reachable ${pct(r.reachable, 1).padStart(6)} (${r.channels.prunable} prunable, ${r.channels.blocked} blocked in ${blocked} groups, ${r.channels.fixed} fixed)  params ${pct(r.params.after, r.params.before).padStart(6)}  FLOPs ${pct(r.flops.after, r.flops.before).padStart(6)} of dense`;
}

describe('prune-channels on the zoo', () => {
  for (const name of [...CNNS, 'mlp', 'transformer']) {
    test(name, async () => {
      const file = zooModel(name);
      const half = await checkInvariant(file, undefined, { batch: 2 });
      await checkInvariant(file, randomChoice(7), { batch: 2 });
      const r = half.pruned;
      rows.push(summarize(name, r));
      expect(r.params.after).toBeLessThan(r.params.before);
      expect(r.flops.after).toBeLessThan(r.flops.before);
      if (CNNS.includes(name)) expect(r.reachable).toBe(1);
      if (name === 'resnet18') {
        expect(r.params.after).toBeLessThanOrEqual(0.3 * r.params.before);
        expect(r.flops.after).toBeLessThanOrEqual(0.3 * r.flops.before);
      }
      if (name === 'transformer') {
        const prunable = r.groups.filter((g) => g.status === 'prunable');
        expect(prunable.map((g) => g.label)).toEqual(['/layers.0/linear1/MatMul', '/layers.1/linear1/MatMul']);
        expect(prunable.every((g) => g.removedUnits === 64)).toBe(true);
      }
    }, 120_000);
  }

  afterAll(() => {
    if (rows.length) console.log(`prune-channels ratio=0.5 (l1):\n${rows.join('\n')}`);
  });
});
