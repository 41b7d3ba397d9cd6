/**
 * @file Three small gauges: risk before, risk after, meaning kept. Plain SVG (no chart library
 * needed for an arc), each an ARIA meter with a tooltip saying what it measures.
 */
import { useId } from 'react';
import { percent } from '../lib/format';

type GaugeProps = { label: string; value: number; help: string; tone: 'risk' | 'keep'; testId: string };

const R = 34;
const ARC = Math.PI * R; // half circle

function toneClass(tone: 'risk' | 'keep', v: number): string {
  const good = tone === 'risk' ? v < 0.2 : v >= 0.8;
  const bad = tone === 'risk' ? v >= 0.6 : v < 0.5;
  return good ? 'good' : bad ? 'bad' : 'warn';
}

export function Gauge({ label, value, help, tone, testId }: GaugeProps): React.JSX.Element {
  const id = useId();
  const v = Math.max(0, Math.min(1, value));
  return (
    <div
      className={`gauge gauge-${toneClass(tone, v)}`}
      role="meter"
      aria-label={label}
      aria-valuemin={0}
      aria-valuemax={100}
      aria-valuenow={Math.round(v * 100)}
      aria-valuetext={`${label}: ${percent(v)}`}
      aria-describedby={id}
      tabIndex={0}
      data-testid={testId}
    >
      <svg viewBox="0 0 84 48" width="84" height="48" aria-hidden focusable="false">
        <path d={`M 8 42 A ${R} ${R} 0 0 1 76 42`} className="gauge-track" />
        {v > 0.005 ? <path d={`M 8 42 A ${R} ${R} 0 0 1 76 42`} className="gauge-value" strokeDasharray={`${ARC * v} ${ARC}`} /> : null}
      </svg>
      <div className="gauge-number">{percent(v)}</div>
      <div className="gauge-label">{label}</div>
      <div className="tooltip" role="tooltip" id={id}>
        {help}
      </div>
    </div>
  );
}

type Props = { riskBefore: number; riskAfter: number; semantic: number };

export function ScoreGauges({ riskBefore, riskAfter, semantic }: Props): React.JSX.Element {
  return (
    <div className="gauges" data-testid="score-gauges">
      <Gauge label="Risk before" value={riskBefore} tone="risk" testId="gauge-risk-before" help="How risky it would be to send the original text as is, from what the detectors found (0% = nothing found)." />
      <Gauge label="Risk after" value={riskAfter} tone="risk" testId="gauge-risk-after" help="The estimated risk left in the cleaned text after the edits." />
      <Gauge label="Meaning kept" value={semantic} tone="keep" testId="gauge-meaning" help="How much of the original request the cleaned text still expresses (100% = unchanged)." />
    </div>
  );
}
