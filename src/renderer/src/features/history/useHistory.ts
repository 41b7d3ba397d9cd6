/**
 * @file History data for the history view: the list (search or recent), the selected entry, and
 * the mutations (delete one, delete all), each with loading and error states.
 */
import { useCallback, useEffect, useState } from 'react';
import type { HistoryEntry, HistoryFilter, HistoryPage } from '../../../../shared/ipc';
import { api } from '../../lib/api';

export const PAGE_SIZE = 50;

export type HistoryState = {
  page: HistoryPage | null;
  loading: boolean;
  error: string | null;
  reload(): void;
  remove(id: number): Promise<boolean>;
  removeAll(): Promise<boolean>;
};

/** What the history list shows: full-text query, filters, sort and page (0-based). */
export type HistoryQuery = {
  text: string;
  verdict?: HistoryFilter['verdict'];
  category?: string;
  source?: string;
  /** Local dates `YYYY-MM-DD`, inclusive. */
  fromDate?: string;
  toDate?: string;
  sort: NonNullable<HistoryFilter['sort']>;
  order: 'asc' | 'desc';
  page: number;
};

export const EMPTY_QUERY: HistoryQuery = { text: '', sort: 'created_at', order: 'desc', page: 0 };

/** The contract's filter for a query (local dates → ISO instants covering whole days). */
export function toFilter(q: HistoryQuery): HistoryFilter {
  const f: HistoryFilter = { limit: PAGE_SIZE, offset: q.page * PAGE_SIZE, sort: q.sort, order: q.order };
  if (q.verdict) f.verdict = q.verdict;
  if (q.category) f.category = q.category;
  if (q.source) f.source = q.source;
  if (q.fromDate) f.from = new Date(`${q.fromDate}T00:00:00`).toISOString();
  if (q.toDate) f.to = new Date(`${q.toDate}T23:59:59.999`).toISOString();
  return f;
}

/** Loads runs matching `query` (full-text when it has text, the filtered list otherwise). */
export function useHistoryList(query: HistoryQuery): HistoryState {
  const [page, setPage] = useState<HistoryPage | null>(null);
  const [loading, setLoading] = useState(true);
  const [error, setError] = useState<string | null>(null);
  const [tick, setTick] = useState(0);
  const key = JSON.stringify(query);

  useEffect(() => {
    let cancelled = false;
    setLoading(true);
    const q = JSON.parse(key) as HistoryQuery;
    const text = q.text.trim();
    const filter = toFilter(q);
    const timer = setTimeout(
      async () => {
        const { sort: _s, order: _o, ...rest } = filter;
        const r = text ? await api.invoke('history:search', { query: text, ...rest }) : await api.invoke('history:list', filter);
        if (cancelled) return;
        setLoading(false);
        if (r.ok) {
          setPage(r.value);
          setError(null);
        } else setError(r.error.message);
      },
      text ? 200 : 0,
    );
    return () => {
      cancelled = true;
      clearTimeout(timer);
    };
  }, [key, tick]);

  const reload = useCallback(() => setTick((t) => t + 1), []);
  const remove = useCallback(
    async (id: number) => {
      const r = await api.invoke('history:delete', { id });
      if (!r.ok) setError(r.error.message);
      reload();
      return r.ok;
    },
    [reload],
  );
  const removeAll = useCallback(async () => {
    const r = await api.invoke('history:deleteAll', {});
    if (!r.ok) setError(r.error.message);
    reload();
    return r.ok;
  }, [reload]);

  return { page, loading, error, reload, remove, removeAll };
}

/** Loads one entry by id. */
export function useHistoryEntry(id: number | null): { entry: HistoryEntry | null; loading: boolean; error: string | null } {
  const [entry, setEntry] = useState<HistoryEntry | null>(null);
  const [loading, setLoading] = useState(false);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    if (id === null) {
      setEntry(null);
      return;
    }
    let cancelled = false;
    setLoading(true);
    void api.invoke('history:get', { id }).then((r) => {
      if (cancelled) return;
      setLoading(false);
      if (r.ok) {
        setEntry(r.value);
        setError(r.value ? null : 'This run no longer exists.');
      } else setError(r.error.message);
    });
    return () => {
      cancelled = true;
    };
  }, [id]);
  return { entry, loading, error };
}
