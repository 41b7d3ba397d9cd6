"""Semantic head: the tokenizer port's Viterbi, unknown-character handling and readability rule, and the
budget share of the harmful threshold. (Parity with the upstream implementation is checked when the
encoder is converted, and the TypeScript port is checked against the shipped parity cases by vitest.)"""
import sys
import unittest
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from diffguard_train.semantic import MAX_TOKENS, Tokenizer, model_input, sig
from diffguard_train.thresholds import harmful_threshold

# as upstream: id 0 is U+FFFD (one UTF-16 unit: backtracking steps by a piece's length)
RESERVED = [["\ufffd", 0], ["<s>", 0], ["</s>", 0], ["x1", 0], ["x2", 0], ["x3", 0]]


def vocab(*pieces):
    return RESERVED + [list(p) for p in pieces]


class TokenizerTest(unittest.TestCase):
    def test_prefers_the_higher_scoring_segmentation(self):
        t = Tokenizer(vocab(["\u2581", -1.0], ["\u2581ab", -2.0], ["\u2581a", -1.5], ["b", -1.5]))
        assert t.encode("ab") == [7]  # one piece at -2 beats two at -3

    def test_spaces_become_word_marks(self):
        t = Tokenizer(vocab(["\u2581a", -1.0], ["\u2581b", -1.0], ["\u2581", -5.0], ["a", -5.0], ["b", -5.0]))
        assert t.encode("a b") == [6, 7]

    def test_an_uncovered_character_outscores_pieces(self):
        # upstream quirk kept for parity: an unknown character scores 0, above any piece's log-probability
        t = Tokenizer(vocab(["\u2581a", -1.0], ["\u2581", -1.0]))
        assert t.encode("a") == [7, 0]

    def test_uncovered_characters_merge_into_one_unknown(self):
        t = Tokenizer(vocab(["\u2581", -1.0], ["a", -1.0]))
        ids, unknown, letters = t.encode_counted("a\u4e00\u4e01")
        assert ids == [6, 7, 0]
        assert (unknown, letters) == (2, 3)

    def test_unknown_symbols_are_not_letters(self):
        t = Tokenizer(vocab(["\u2581", -1.0], ["a", -1.0]))
        _, unknown, letters = t.encode_counted("a\t!")
        assert (unknown, letters) == (0, 1)

    def test_a_null_scored_piece_loses_to_any_alternative(self):
        # upstream quirks kept for parity: a null score counts as 0, and a best score of exactly 0 counts
        # as "nothing yet", so the next candidate replaces it
        t = Tokenizer(vocab(["\u2581", -1.0], ["\u2581a:", None], ["\u2581a", -0.5], [":", -0.5], ["a", -3.0]))
        assert t.encode("a:") == [8, 9]

    def test_empty_text(self):
        t = Tokenizer(vocab(["\u2581", -1.0]))
        assert t.encode("") == []
        ids, readable = model_input(t, "")
        assert ids == [0] and readable

    def test_model_input_clips_and_judges_readability(self):
        t = Tokenizer(vocab(["\u2581", -1.0], ["a", -1.0], ["\u2581a", -0.5]))
        ids, readable = model_input(t, "a " * 500)
        assert len(ids) == MAX_TOKENS and readable
        assert model_input(t, "\u4e00\u4e01\u4e02 a")[1] is False  # 3 of 4 letters unknown


class BudgetShareTest(unittest.TestCase):
    def test_a_smaller_share_gives_a_higher_threshold(self):
        rng = np.random.default_rng(0)
        ordinary, look = sig(rng.normal(-2, 1, 5000)), sig(rng.normal(-1, 1, 5000))
        full = harmful_threshold(ordinary, look, "balanced")
        part = harmful_threshold(ordinary, look, "balanced", share=0.35)
        assert part > full
        assert abs((look >= part).mean() - 0.015 * 0.35) < 0.002


if __name__ == "__main__":
    unittest.main()


class Int8Test(unittest.TestCase):
    def test_weights_use_7_bits_per_column_and_round_to_the_nearest_step(self):
        from diffguard_train.semantic import quantize_weight
        rng = np.random.default_rng(0)
        W = rng.normal(size=(64, 8)).astype(np.float32)
        W[:, 3] *= 100  # columns get their own scale
        q, s = quantize_weight(W)
        assert q.dtype == np.int8 and int(np.abs(q).max()) == 63
        assert np.all(np.abs(q.astype(np.float32) * s - W) <= s / 2 + 1e-6)
        assert s[3] > 50 * s[0]

    def test_activations_quantise_as_onnx_dynamic_quantize_linear(self):
        from diffguard_train.semantic import dynamic_quantize
        x = np.array([-1.0, 0.0, 0.5, 3.0], dtype=np.float32)
        q, scale, zp = dynamic_quantize(x)
        assert np.isclose(scale, 4.0 / 255) and zp == 64  # rint(1 / (4/255)) = rint(63.75)
        assert q.min() >= 0 and q.max() <= 255
        assert q[1] == zp  # zero is exact
        assert np.all(np.abs((q - zp) * scale - x) <= scale)
        q, scale, zp = dynamic_quantize(np.array([2.0, 5.0], dtype=np.float32))  # the range always includes 0
        assert zp == 0 and np.isclose(scale, 5.0 / 255)
