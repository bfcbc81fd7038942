/**
 * Node (V8) flags under which memory stays near the weights plus the activation arena in lean
 * mode. Two of V8's defaults cost more than shears holds beyond those (ResNet-50, cpu-js, one
 * thread: 121-126 MB of growth against 109 MB with these flags):
 * - the young generation grows to 2 × 8 MB while a model compiles, and a first run's garbage
 *   (numbers boxed by kernels before the optimizing compiler has them) touches all of it;
 * - optimizing compiles run on a background thread, whose zones (up to 9 MB) land in a malloc
 *   arena of their own and stay resident.
 * V8 reads both only at startup: `shears run --memory lean` relaunches node with them, and a
 * library caller passes them to node (`node --max-semi-space-size=1 ... app.js`).
 */
export const LEAN_NODE_FLAGS: readonly string[] = ['--max-semi-space-size=1', '--no-concurrent-recompilation'];

/** Whether this node was started with every one of LEAN_NODE_FLAGS. */
export function hasLeanNodeFlags(): boolean {
  return LEAN_NODE_FLAGS.every((f) => process.execArgv.includes(f));
}
