/**
 * @file A copy-to-clipboard button with a short "Copied" confirmation.
 */
import { useEffect, useState } from 'react';

type Props = { text: string; label?: string; testId?: string };

export function CopyButton({ text, label = 'Copy', testId }: Props): React.JSX.Element {
  const [state, setState] = useState<'idle' | 'copied' | 'failed'>('idle');
  useEffect(() => {
    if (state === 'idle') return;
    const t = setTimeout(() => setState('idle'), 1600);
    return () => clearTimeout(t);
  }, [state]);
  return (
    <button
      type="button"
      className="button button-secondary"
      data-testid={testId}
      onClick={() => {
        navigator.clipboard.writeText(text).then(
          () => setState('copied'),
          () => setState('failed'),
        );
      }}
    >
      <span aria-live="polite">{state === 'copied' ? 'Copied ✓' : state === 'failed' ? 'Copy failed' : label}</span>
    </button>
  );
}
