/**
 * @file Public surface of the history store: the repository over SQLite and its row types.
 * Open the database with `openDatabase` from src/core/db first.
 */
export { createHistoryRepository, toFtsQuery, protectCsvCell, buildListQuery } from './repository';
export type { HistoryRepository, HistoryRepositoryOptions } from './repository';
export { HISTORY_SOURCES } from './types';
export type {
  HistorySource,
  NewHistoryEntry,
  HistoryRecord,
  HistoryFilter,
  HistorySortKey,
  HistoryPaging,
  HistoryListQuery,
  HistoryPage,
} from './types';
