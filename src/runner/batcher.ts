// Coalesces look-ups asked for at about the same time into one call (e.g. 50 references in one
// `filter[reference]=[a|b|…]` instead of 50 GETs): the record loop keeps several loads in flight, so
// their first-time look-ups naturally arrive together.

export interface Batcher<K, V> {
  get(key: K): Promise<V | undefined>;
}

export function createBatcher<K, V>(fetchMany: (keys: K[]) => Promise<Map<K, V>>, maxBatch = 50, waitMs = 2): Batcher<K, V> {
  let pending = new Map<K, Array<{ resolve: (v: V | undefined) => void; reject: (e: unknown) => void }>>();
  let timer: NodeJS.Timeout | undefined;

  const flush = () => {
    timer = undefined;
    const batch = pending;
    pending = new Map();
    if (batch.size === 0) return;
    const keys = [...batch.keys()];
    fetchMany(keys).then(
      (found) => {
        for (const [k, waiters] of batch) for (const w of waiters) w.resolve(found.get(k));
      },
      (err: unknown) => {
        for (const waiters of batch.values()) for (const w of waiters) w.reject(err);
      },
    );
  };

  return {
    get(key) {
      return new Promise((resolve, reject) => {
        const waiters = pending.get(key);
        if (waiters) waiters.push({ resolve, reject });
        else pending.set(key, [{ resolve, reject }]);
        if (pending.size >= maxBatch) {
          if (timer) clearTimeout(timer);
          flush();
        } else if (!timer) {
          timer = setTimeout(flush, waitMs);
        }
      });
    },
  };
}
