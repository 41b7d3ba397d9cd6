import { cleanup, fireEvent, render, screen } from '@testing-library/react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { Finding } from '../../../../shared/result';
import { FindingsList } from '../../components/FindingsList';
import { ShortcutHelp } from '../../components/ShortcutHelp';
import { FindingHighlights, highlightPieces } from './FindingHighlights';

afterEach(cleanup);

const text = 'Mail jane.doe@example.com or call +1 415 555 0132 today.';
const findings: Finding[] = [
  { kind: 'email', category: 'pii', start: 5, end: 25, text: 'jane.doe@example.com', score: 0.99, action: 'redact', replacement: '[EMAIL_1]', reason: 'Valid e-mail address' },
  { kind: 'phone', category: 'pii', start: 34, end: 49, text: '+1 415 555 0132', score: 0.9, action: 'redact', replacement: '[PHONE_1]' },
  { kind: 'zero_width', category: 'obfuscation', start: 10, end: 12, text: 'do', score: 1, action: 'remove', replacement: '' },
];

describe('FindingHighlights', () => {
  it('splits the text into plain pieces and marked spans, dropping an overlapping later span', () => {
    const pieces = highlightPieces(text, findings);
    expect(pieces.map((p) => p.text).join('')).toBe(text);
    expect(pieces.filter((p) => p.finding).map((p) => p.text)).toEqual(['jane.doe@example.com', '+1 415 555 0132']);
  });

  it('marks each finding with its category colour and a tooltip with the reason and score', () => {
    render(<FindingHighlights text={text} findings={findings} scrollTop={0} onFocusEditor={() => undefined} />);
    const marks = screen.getAllByTestId('input-highlight');
    expect(marks).toHaveLength(2);
    expect(marks[0]!.className).toContain('cat-pii');
    expect(marks[0]!.getAttribute('title')).toMatch(/score 99%\nValid e-mail address/);
  });
});

describe('FindingsList undo', () => {
  it('offers undo for edits that changed the text and re-apply once undone', () => {
    const onToggle = vi.fn();
    const { rerender } = render(<FindingsList findings={findings} undone={new Set()} onToggle={onToggle} />);
    const buttons = screen.getAllByTestId('finding-undo');
    expect(buttons.map((b) => b.textContent)).toEqual(['Undo', 'Undo', 'Undo']);
    fireEvent.click(buttons[1]!);
    expect(onToggle).toHaveBeenCalledWith(1);
    const kept = findings.map((f, i) => (i === 1 ? { ...f, action: 'flag' as const, replacement: null } : f));
    rerender(<FindingsList findings={kept} undone={new Set([1])} onToggle={onToggle} />);
    expect(screen.getAllByTestId('finding-undo')[1]!.textContent).toBe('Re-apply');
    expect(screen.getAllByTestId('finding-undo')[1]!.getAttribute('aria-pressed')).toBe('true');
    expect(screen.getAllByTestId('finding-row')[1]!.getAttribute('data-undone')).toBe('true');
  });

  it('has no undo column without a handler (history detail)', () => {
    render(<FindingsList findings={findings} />);
    expect(screen.queryByTestId('finding-undo')).toBeNull();
  });
});

describe('ShortcutHelp', () => {
  it('is a modal dialog listing the shortcuts, focused on open and closed with Escape', () => {
    const onClose = vi.fn();
    render(<ShortcutHelp onClose={onClose} />);
    const dialog = screen.getByRole('dialog', { name: 'Keyboard shortcuts' });
    expect(dialog.getAttribute('aria-modal')).toBe('true');
    expect(dialog.textContent).toContain('Sanitize the prompt');
    expect(document.activeElement).toBe(screen.getByTestId('shortcut-help-close'));
    fireEvent.keyDown(window, { key: 'Escape' });
    expect(onClose).toHaveBeenCalledOnce();
  });
});
