/**
 * @file A bounded least-recently-used map: `get` refreshes an entry, `set` evicts the oldest past the bound.
 * For memos of pure functions (WordNet lookups, the segmenter's clause terms), where eviction changes only speed.
 */
export class LruCache<K, V> {
  readonly #max: number;
  readonly #map = new Map<K, V>();
  constructor(max: number) {
    this.#max = max;
  }
  get(key: K): V | undefined {
    const v = this.#map.get(key);
    if (v !== undefined) {
      this.#map.delete(key);
      this.#map.set(key, v);
    }
    return v;
  }
  set(key: K, value: V): void {
    this.#map.delete(key);
    this.#map.set(key, value);
    if (this.#map.size > this.#max) this.#map.delete(this.#map.keys().next().value as K);
  }
}
