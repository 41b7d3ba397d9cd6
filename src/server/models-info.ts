/**
 * @file What the settings view shows about the models folder: every model (a folder under
 * `models/`), its versions (sub-folders), the one in use (`LATEST`, or the only version) and its
 * model card (`MODEL_CARD.md` of that version, else of the model folder). Read-only; a missing
 * folder is an empty list.
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import type { ModelInfo } from '../shared/ipc';

/** Model cards longer than this are cut (they are shown, not parsed). */
const MAX_CARD_CHARS = 200_000;

const readCard = (path: string): string | null => {
  try {
    if (!existsSync(path)) return null;
    const text = readFileSync(path, 'utf8');
    return text.length > MAX_CARD_CHARS ? `${text.slice(0, MAX_CARD_CHARS)}\n\n…(cut)` : text;
  } catch {
    return null;
  }
};

const dirs = (path: string): string[] => {
  try {
    return readdirSync(path)
      .filter((n) => !n.startsWith('.') && statSync(join(path, n)).isDirectory())
      .sort();
  } catch {
    return [];
  }
};

/** Lists the models under `modelsDir`. */
export function listModels(modelsDir: string): ModelInfo[] {
  return dirs(modelsDir).map((name) => {
    const root = join(modelsDir, name);
    const versions = dirs(root);
    let current: string | null = null;
    try {
      const latest = readFileSync(join(root, 'LATEST'), 'utf8').trim();
      if (latest) current = latest;
    } catch {
      current = versions.length === 1 ? versions[0]! : null;
    }
    const card = (current ? readCard(join(root, current, 'MODEL_CARD.md')) : null) ?? readCard(join(root, 'MODEL_CARD.md'));
    return { name, current, versions, card };
  });
}
