/**
 * @file History data for the history view: the list (search or recent), the selected entry, and
 * the mutations (delete one, delete all), each with loading and error states.
 */
import { useCallback, useEffect, useState } from 'react';
import type { HistoryEntry, HistoryPage } from '../../../../shared/ipc';
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

/** Loads runs matching `query` (full-text) or the most recent ones when the query is empty. */
export function useHistoryList(query: string): HistoryState {
  const [page, setPage] = useState<HistoryPage | null>(null);
  const [loading, setLoading] = useState(true);
  const [error, setError] = useState<string | null>(null);
  const [tick, setTick] = useState(0);

  useEffect(() => {
    let cancelled = false;
    setLoading(true);
    const q = query.trim();
    const timer = setTimeout(
      async () => {
        const r = q ? await api.invoke('history:search', { query: q, limit: PAGE_SIZE }) : await api.invoke('history:list', { limit: PAGE_SIZE, sort: 'created_at', order: 'desc' });
        if (cancelled) return;
        setLoading(false);
        if (r.ok) {
          setPage(r.value);
          setError(null);
        } else setError(r.error.message);
      },
      q ? 200 : 0,
    );
    return () => {
      cancelled = true;
      clearTimeout(timer);
    };
  }, [query, tick]);

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
