/**
 * `npm run bench`: runs every benchmark and prints its tables. `node dist/test/bench/run.js NAME…`
 * runs only the named ones. To add a benchmark, export a `Bench` from a file here and list it below.
 */
import type { Bench } from './bench.js';
import { formatTable } from './bench.js';
import { cpuJsKernelsBench } from './cpu-js-kernels.js';
import { cpuJsMemoryBench } from './cpu-js-memory.js';
import { cpuJsModelsBench } from './cpu-js-models.js';
import { cpuJsSparseBench } from './cpu-js-sparse.js';
import { importExport } from './import-export.js';
import { pruneChannelsBench } from './prune-channels.js';
import { pruneMagnitudeBench } from './prune-magnitude.js';
import { simplifyBench } from './simplify.js';

const benches: Bench[] = [importExport, pruneMagnitudeBench, pruneChannelsBench, simplifyBench, cpuJsModelsBench, cpuJsMemoryBench, cpuJsKernelsBench, cpuJsSparseBench];

const wanted = process.argv.slice(2);
const unknown = wanted.filter((n) => !benches.some((b) => b.name === n));
if (unknown.length) {
  console.error(`unknown bench ${unknown.join(', ')}; there are: ${benches.map((b) => b.name).join(', ')}`);
  process.exit(2);
}
for (const bench of benches) {
  if (wanted.length && !wanted.includes(bench.name)) continue;
  for (const table of await bench.run()) console.log(formatTable(table) + '\n');
}
