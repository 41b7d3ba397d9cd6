/**
 * @file One run's result: verdict banner, score gauges, the diff (or the suggestion when blocked)
 * and the findings. Used by the workbench and the history detail alike.
 */
import type { SanitizeResult } from '../../../shared/result';
import { DiffView } from './DiffView';
import { FindingsList } from './FindingsList';
import { ScoreGauges } from './ScoreGauges';
import { VerdictBanner } from './VerdictBanner';
import { CopyButton } from './CopyButton';

type Props = {
  original: string | null;
  result: SanitizeResult;
  onUseSuggestion?: (text: string) => void;
  /** Undo / re-apply of single edits (the workbench); see FindingsList. */
  undone?: ReadonlySet<number>;
  onToggle?: (index: number) => void;
  /** Extra buttons next to "Copy cleaned" (copy restored…). */
  actions?: React.ReactNode;
};

export function ResultView({ original, result, onUseSuggestion, undone, onToggle, actions }: Props): React.JSX.Element {
  const hasText = original !== null;
  return (
    <div className="result" data-testid="result-view">
      <div className="result-top">
        <VerdictBanner result={result} onUseSuggestion={onUseSuggestion} />
        <ScoreGauges riskBefore={result.risk_before} riskAfter={result.risk_after} semantic={result.semantic} />
      </div>
      <section className="card" aria-labelledby="cleaned-title">
        <header className="card-header row-between">
          <h3 id="cleaned-title">Cleaned text</h3>
          {hasText && result.verdict !== 'blocked' && result.verdict !== 'error' ? (
            <div className="row">
              {actions}
              <CopyButton text={result.cleaned} label="Copy cleaned" testId="copy-cleaned" />
            </div>
          ) : null}
        </header>
        {!hasText ? (
          <p className="empty-note">The text of this run was not stored (privacy mode). Scores and findings are kept.</p>
        ) : result.verdict === 'blocked' ? (
          <p className="empty-note" data-testid="blocked-note">
            Nothing to send: the request itself is blocked.
          </p>
        ) : (
          <DiffView original={original} cleaned={result.cleaned} findings={result.findings} />
        )}
      </section>
      <section className="card" aria-labelledby="findings-title">
        <header className="card-header">
          <h3 id="findings-title">
            Findings <span className="count">{result.findings.length}</span>
          </h3>
        </header>
        <FindingsList findings={result.findings} privacy={!hasText} undone={undone} onToggle={onToggle} />
      </section>
    </div>
  );
}
