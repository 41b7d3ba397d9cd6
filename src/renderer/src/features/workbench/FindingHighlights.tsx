/**
 * @file The findings of the last run highlighted in place over the prompt editor: a mirror of the
 * textarea's text laid exactly on top of it (same font, padding and wrapping, transparent text),
 * with each finding's span marked in its category's colour. Only the marks take the pointer, so
 * hovering one shows its reason and score while typing and selecting still reach the textarea.
 * Shown only while the text is the one that was analysed, so nothing moves while typing.
 */
import { useMemo } from 'react';
import type { Finding } from '../../../../shared/result';
import { categoryBase, categoryLabel, findingType, percent } from '../../lib/format';

type Props = { text: string; findings: readonly Finding[]; scrollTop: number; onFocusEditor: () => void };

type Piece = { text: string; finding?: Finding };

/** Splits `text` into plain pieces and (non-overlapping, earliest first) finding spans. */
export function highlightPieces(text: string, findings: readonly Finding[]): Piece[] {
  const spans = findings.filter((f) => f.end > f.start && f.end <= text.length).slice().sort((a, b) => a.start - b.start || b.end - a.end);
  const out: Piece[] = [];
  let at = 0;
  for (const f of spans) {
    if (f.start < at) continue; // overlapping: the earlier, longer span wins
    if (f.start > at) out.push({ text: text.slice(at, f.start) });
    out.push({ text: text.slice(f.start, f.end), finding: f });
    at = f.end;
  }
  if (at < text.length) out.push({ text: text.slice(at) });
  return out;
}

export function FindingHighlights({ text, findings, scrollTop, onFocusEditor }: Props): React.JSX.Element {
  const pieces = useMemo(() => highlightPieces(text, findings), [text, findings]);
  return (
    <div className="editor editor-mirror" aria-hidden data-testid="input-highlights">
      <div style={{ transform: `translateY(${-scrollTop}px)` }}>
        {pieces.map((p, i) =>
          p.finding ? (
            <mark
              key={i}
              className={`hl cat-${categoryBase(p.finding.category)}`}
              data-testid="input-highlight"
              data-kind={p.finding.kind}
              title={`${findingType(p.finding)} · ${categoryLabel(p.finding.category)} · score ${percent(p.finding.score)}${p.finding.reason ? `\n${p.finding.reason}` : ''}`}
              onMouseDown={(e) => {
                e.preventDefault();
                onFocusEditor();
              }}
            >
              {p.text}
            </mark>
          ) : (
            <span key={i}>{p.text}</span>
          ),
        )}
        {'\n'}
      </div>
    </div>
  );
}
