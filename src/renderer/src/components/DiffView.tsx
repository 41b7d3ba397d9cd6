/**
 * @file The word-level diff of a prompt and its cleaned version, inline or side by side.
 * Removed text, added text and redactions (value → placeholder) are marked distinctly, with
 * text labels for screen readers (colour is never the only signal).
 */
import { useMemo, useState } from 'react';
import type { Finding } from '../../../shared/result';
import { buildDiff, type DiffSegment } from '../lib/diff';
import { categoryBase, categoryLabel } from '../lib/format';

export type DiffMode = 'inline' | 'side-by-side';

type Props = { original: string; cleaned: string; findings: Finding[]; initialMode?: DiffMode };

function Removed({ seg }: { seg: Extract<DiffSegment, { kind: 'removed' }> }): React.JSX.Element {
  return (
    <del className={`seg seg-removed${seg.category ? ` cat-${categoryBase(seg.category)}` : ''}`} data-testid="diff-removed" title={seg.category ? `Removed: ${categoryLabel(seg.category)}` : 'Removed'}>
      <span className="sr-only">removed: </span>
      {seg.text}
    </del>
  );
}

function RedactedFrom({ seg }: { seg: Extract<DiffSegment, { kind: 'redacted' }> }): React.JSX.Element {
  return (
    <del className="seg seg-redacted-from" data-testid="diff-redacted-from" title={`Redacted as ${seg.replacement}`}>
      <span className="sr-only">redacted: </span>
      {seg.text}
    </del>
  );
}

function RedactedTo({ seg }: { seg: Extract<DiffSegment, { kind: 'redacted' }> }): React.JSX.Element {
  return (
    <ins className="seg seg-redacted" data-testid="diff-redacted" title={seg.category ? `${categoryLabel(seg.category)} redacted` : 'Redacted'}>
      <span className="sr-only">placeholder: </span>
      {seg.replacement}
    </ins>
  );
}

function Added({ seg }: { seg: Extract<DiffSegment, { kind: 'added' }> }): React.JSX.Element {
  return (
    <ins className="seg seg-added" data-testid="diff-added" title="Added">
      <span className="sr-only">added: </span>
      {seg.text}
    </ins>
  );
}

/** Renders the diff with a switch between the inline and side-by-side views. */
export function DiffView({ original, cleaned, findings, initialMode = 'side-by-side' }: Props): React.JSX.Element {
  const [mode, setMode] = useState<DiffMode>(initialMode);
  const segments = useMemo(() => buildDiff(original, cleaned, findings), [original, cleaned, findings]);

  return (
    <section className="diff" aria-label="Changes" data-testid="diff-view" data-mode={mode}>
      <div className="diff-toolbar">
        <div className="segmented" role="radiogroup" aria-label="Diff layout">
          {(['side-by-side', 'inline'] as const).map((m) => (
            <button key={m} type="button" role="radio" aria-checked={mode === m} className={mode === m ? 'active' : ''} onClick={() => setMode(m)} data-testid={`diff-mode-${m}`}>
              {m === 'inline' ? 'Inline' : 'Side by side'}
            </button>
          ))}
        </div>
        <ul className="legend" aria-label="Legend">
          <li><span className="swatch swatch-removed" aria-hidden />Removed</li>
          <li><span className="swatch swatch-redacted" aria-hidden />Redacted</li>
          <li><span className="swatch swatch-added" aria-hidden />Added</li>
        </ul>
      </div>
      {mode === 'inline' ? (
        <div className="diff-body text-block" data-testid="diff-inline">
          {segments.map((seg, i) => {
            switch (seg.kind) {
              case 'equal':
                return <span key={i}>{seg.text}</span>;
              case 'removed':
                return <Removed key={i} seg={seg} />;
              case 'added':
                return <Added key={i} seg={seg} />;
              case 'redacted':
                return (
                  <span key={i} className="redaction-pair">
                    <RedactedFrom seg={seg} />
                    <RedactedTo seg={seg} />
                  </span>
                );
            }
          })}
        </div>
      ) : (
        <div className="diff-columns">
          <div className="diff-col">
            <h4 className="col-title">Original</h4>
            <div className="diff-body text-block" data-testid="diff-original">
              {segments.map((seg, i) =>
                seg.kind === 'equal' ? <span key={i}>{seg.text}</span> : seg.kind === 'removed' ? <Removed key={i} seg={seg} /> : seg.kind === 'redacted' ? <RedactedFrom key={i} seg={seg} /> : null,
              )}
            </div>
          </div>
          <div className="diff-col">
            <h4 className="col-title">Cleaned</h4>
            <div className="diff-body text-block" data-testid="diff-cleaned">
              {segments.map((seg, i) =>
                seg.kind === 'equal' ? <span key={i}>{seg.text}</span> : seg.kind === 'added' ? <Added key={i} seg={seg} /> : seg.kind === 'redacted' ? <RedactedTo key={i} seg={seg} /> : null,
              )}
            </div>
          </div>
        </div>
      )}
    </section>
  );
}
