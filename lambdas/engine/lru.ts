/**
 * A bounded cache for the verdict path, where the same numbers and identifiers repeat
 * (retries, bombing, NAT). Two generations instead of strict LRU: when the young map fills,
 * it becomes the old one and the previous old one is dropped whole. Every operation is O(1)
 * — deleting entries one by one from the front of a big Map degrades V8's hash table.
 */
export class BoundedCache<K, V> {
  private young = new Map<K, V>();
  private old = new Map<K, V>();

  /** @param maxEntries entries kept per generation (up to twice as many are held). */
  constructor(private readonly maxEntries: number) {}

  /** The cached value; `undefined` when absent (so do not cache `undefined` itself: use `null`). */
  get(key: K): V | undefined {
    const hit = this.young.get(key);
    if (hit !== undefined) return hit;
    const old = this.old.get(key);
    if (old !== undefined) this.set(key, old); // promote what is still in use
    return old;
  }

  set(key: K, value: V): V {
    if (this.young.size >= this.maxEntries) {
      this.old = this.young;
      this.young = new Map();
    }
    this.young.set(key, value);
    return value;
  }
}
