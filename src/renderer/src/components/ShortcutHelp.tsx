/**
 * @file The keyboard shortcut overlay, opened with `?` (outside text fields) and closed with Esc
 * or the close button. A modal dialog: focus moves into it and returns where it was.
 */
import { useEffect, useRef } from 'react';

const isMac = typeof navigator !== 'undefined' && /Mac|iPhone|iPad/.test(navigator.platform);
const mod = isMac ? '⌘' : 'Ctrl';

/** The shortcuts the renderer handles, in the order shown. */
export const SHORTCUTS: { keys: string[]; what: string }[] = [
  { keys: [mod, 'Enter'], what: 'Sanitize the prompt' },
  { keys: ['Alt', '1'], what: 'Workbench' },
  { keys: ['Alt', '2'], what: 'Batch' },
  { keys: ['Alt', '3'], what: 'History' },
  { keys: ['Alt', '4'], what: 'Settings' },
  { keys: ['?'], what: 'Show this help' },
  { keys: ['Esc'], what: 'Close this help' },
];

export function ShortcutHelp({ onClose }: { onClose: () => void }): React.JSX.Element {
  const closeRef = useRef<HTMLButtonElement>(null);
  useEffect(() => {
    const before = document.activeElement as HTMLElement | null;
    closeRef.current?.focus();
    const onKey = (e: KeyboardEvent): void => {
      if (e.key === 'Escape') {
        e.preventDefault();
        onClose();
      }
    };
    window.addEventListener('keydown', onKey);
    return () => {
      window.removeEventListener('keydown', onKey);
      before?.focus?.();
    };
  }, [onClose]);
  return (
    <div className="overlay" onMouseDown={(e) => e.target === e.currentTarget && onClose()}>
      <div className="dialog card" role="dialog" aria-modal="true" aria-labelledby="shortcuts-title" data-testid="shortcut-help">
        <header className="card-header row-between">
          <h2 id="shortcuts-title">Keyboard shortcuts</h2>
          <button ref={closeRef} type="button" className="button button-ghost button-small" onClick={onClose} data-testid="shortcut-help-close">
            Close
          </button>
        </header>
        <table className="shortcuts">
          <tbody>
            {SHORTCUTS.map((s) => (
              <tr key={s.what}>
                <td>
                  {s.keys.map((k, i) => (
                    <span key={k}>
                      {i > 0 ? ' + ' : ''}
                      <kbd>{k}</kbd>
                    </span>
                  ))}
                </td>
                <td>{s.what}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </div>
  );
}
