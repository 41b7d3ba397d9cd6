/**
 * @file Per-key throttling of pushed events (batch progress to the renderer, about 10 per second):
 * the first event of a key goes out at once, later ones at most every `intervalMs`, and the last
 * event of a burst is never dropped (a job's final state always arrives).
 */

/** Returns a function that forwards `(key, value)` to `send`, throttled per key. */
export function throttleByKey<T>(send: (value: T) => void, intervalMs: number, now: () => number = Date.now): (key: string, value: T) => void {
  const last = new Map<string, number>();
  const pending = new Map<string, { value: T; timer: ReturnType<typeof setTimeout> }>();
  return (key, value) => {
    const t = now();
    const since = t - (last.get(key) ?? -Infinity);
    const queued = pending.get(key);
    if (since >= intervalMs && !queued) {
      last.set(key, t);
      send(value);
      return;
    }
    if (queued) {
      queued.value = value;
      return;
    }
    const entry = {
      value,
      timer: setTimeout(() => {
        pending.delete(key);
        last.set(key, now());
        send(entry.value);
      }, Math.max(0, intervalMs - since)),
    };
    pending.set(key, entry);
  };
}
