import type { UnitId } from './types.js';

/**
 * Union-find over units. A set remembers why it may not be pruned: blocked (a node the analysis does
 * not understand) or fixed (it reaches a graph input or output); merging sets merges the reasons.
 */
export class UnitSets {
  private readonly parent: number[] = [];
  private readonly blocked = new Map<number, Set<string>>();
  private readonly fixed = new Map<number, Set<string>>();

  get size(): number {
    return this.parent.length;
  }

  fresh(n: number): UnitId[] {
    const out: UnitId[] = [];
    for (let i = 0; i < n; i++) {
      out.push(this.parent.length);
      this.parent.push(this.parent.length);
    }
    return out;
  }

  find(u: UnitId): UnitId {
    let root = u;
    while (this.parent[root] !== root) root = this.parent[root];
    while (this.parent[u] !== root) {
      const next = this.parent[u];
      this.parent[u] = root;
      u = next;
    }
    return root;
  }

  /** Merge; the smaller id stays the root so that results do not depend on the order of unions. */
  union(a: UnitId, b: UnitId): void {
    let ra = this.find(a);
    let rb = this.find(b);
    if (ra === rb) return;
    if (rb < ra) [ra, rb] = [rb, ra];
    this.parent[rb] = ra;
    mergeInto(this.blocked, rb, ra);
    mergeInto(this.fixed, rb, ra);
  }

  block(u: UnitId, reason: string): void {
    addTo(this.blocked, this.find(u), reason);
  }

  fix(u: UnitId, reason: string): void {
    addTo(this.fixed, this.find(u), reason);
  }

  blockReasons(u: UnitId): ReadonlySet<string> | undefined {
    return this.blocked.get(this.find(u));
  }

  fixReasons(u: UnitId): ReadonlySet<string> | undefined {
    return this.fixed.get(this.find(u));
  }
}

function addTo(map: Map<number, Set<string>>, key: number, reason: string): void {
  let set = map.get(key);
  if (!set) map.set(key, (set = new Set()));
  set.add(reason);
}

function mergeInto(map: Map<number, Set<string>>, from: number, to: number): void {
  const reasons = map.get(from);
  if (!reasons) return;
  map.delete(from);
  for (const r of reasons) addTo(map, to, r);
}
