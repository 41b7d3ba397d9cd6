/**
 * @file The policy preset switch (strict / balanced / permissive), a radio group.
 */
import type { PolicyName } from '../../../../shared/result';

const POLICIES: Array<{ value: PolicyName; label: string; help: string }> = [
  { value: 'strict', label: 'Strict', help: 'Redacts or removes everything that looks sensitive; lowest thresholds.' },
  { value: 'balanced', label: 'Balanced', help: 'The default: validated personal data and secrets are redacted, risky requests blocked.' },
  { value: 'permissive', label: 'Permissive', help: 'Only clear-cut findings are acted on; the rest is flagged.' },
];

type Props = { value: PolicyName; onChange: (p: PolicyName) => void; disabled?: boolean };

export function PolicySwitch({ value, onChange, disabled }: Props): React.JSX.Element {
  return (
    <div className="segmented" role="radiogroup" aria-label="Policy" data-testid="policy-switch">
      {POLICIES.map((p) => (
        <button
          key={p.value}
          type="button"
          role="radio"
          aria-checked={value === p.value}
          className={value === p.value ? 'active' : ''}
          title={p.help}
          disabled={disabled}
          onClick={() => onChange(p.value)}
          data-testid={`policy-${p.value}`}
        >
          {p.label}
        </button>
      ))}
    </div>
  );
}
