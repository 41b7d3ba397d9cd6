/**
 * @file The risk histogram of a batch job: ten bins of "risk before", drawn as an SVG bar chart
 * with a text alternative (role="img" + label, and a <title> per bar) for screen readers.
 */

type Props = { bins: number[] };

const W = 320;
const H = 120;
const PAD = 18;

/** Bar colour by risk: calm for low bins, warning in the middle, bad at the top. */
const tone = (i: number): string => (i < 3 ? 'var(--good)' : i < 7 ? 'var(--warn)' : 'var(--bad)');

export function RiskHistogram({ bins }: Props): React.JSX.Element {
  const max = Math.max(1, ...bins);
  const total = bins.reduce((a, b) => a + b, 0);
  const barW = (W - PAD) / bins.length;
  const label = `Risk histogram of ${total} rows: ${bins.map((n, i) => `${i * 10}–${i * 10 + 10}%: ${n}`).join(', ')}`;
  return (
    <figure className="histogram" data-testid="risk-histogram">
      <svg viewBox={`0 0 ${W} ${H + PAD}`} role="img" aria-label={label} width="100%" preserveAspectRatio="xMidYMid meet">
        <line x1={PAD / 2} x2={W - PAD / 2} y1={H} y2={H} stroke="var(--border-strong)" />
        {bins.map((n, i) => {
          const h = n === 0 ? 0 : Math.max(2, (n / max) * (H - 8));
          return (
            <rect key={i} data-testid="histogram-bar" data-count={n} x={PAD / 2 + i * barW + 2} y={H - h} width={barW - 4} height={h} rx={2} fill={tone(i)}>
              <title>{`Risk ${i * 10}–${i * 10 + 10}%: ${n} rows`}</title>
            </rect>
          );
        })}
        {[0, 5, 10].map((t) => (
          <text key={t} x={PAD / 2 + (t / 10) * (W - PAD)} y={H + 14} fontSize="10" textAnchor={t === 0 ? 'start' : t === 10 ? 'end' : 'middle'} fill="var(--text-muted)">
            {t * 10}%
          </text>
        ))}
      </svg>
      <figcaption className="muted small">Risk before cleaning, rows per 10% band</figcaption>
    </figure>
  );
}
