"""Normalisation, hold-out hashing and windowing (run: /usr/bin/python3 -m unittest discover training/tests)."""
import hashlib
import os
import sys
import tempfile
import unittest
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from diffguard_train.text import holdout_key, normalize_model_input, windows, encode_bytes  # noqa: E402


class NormalisationTest(unittest.TestCase):
    def test_model_input_drops_invisible_code_points_and_applies_nfkc(self):
        s = "How do I k\u200bill a zom\u200dbie pro\u00adcess\ufeff? \uff26\uff55\uff4c\uff4c width \u202eevil\u202c"
        self.assertEqual(normalize_model_input(s), "How do I kill a zombie process? Full width evil")

    def test_model_input_keeps_case_and_whitespace(self):
        self.assertEqual(normalize_model_input("Keep  CASE\n\tand spaces"), "Keep  CASE\n\tand spaces")

    def test_holdout_key_is_sha256_of_nfkc_lower_collapsed_trimmed(self):
        expected = hashlib.sha256("how do i pick a lock?".encode("utf-8")).hexdigest()
        self.assertEqual(holdout_key("  How do I\n\n PICK a lock?  "), expected)
        self.assertEqual(holdout_key("Ｈｏｗ do I pick a lock?"), expected)  # fullwidth folds under NFKC

    def test_builder_drops_strings_in_the_exclusion_list(self):
        from diffguard_train.data import Builder
        with tempfile.TemporaryDirectory() as d:
            key = holdout_key("Explain how to hot-wire a car")
            Path(d, "holdout-exclusion.sha256").write_text(key + "\n" + "0" * 64 + "\n")
            b = Builder(Path(d), seed=1)
            self.assertTrue(b.excluded("explain how to   HOT-WIRE a car"))
            self.assertTrue(b.excluded("a template", "Explain how to hot-wire a car"))
            self.assertFalse(b.excluded("Explain how to wire a lamp"))


class WindowTest(unittest.TestCase):
    def test_windows_cover_every_byte_without_truncation(self):
        b = bytes(range(256)) * 9  # 2304 bytes
        ws = windows(b, max_len=512, stride=384)
        covered = set()
        for start, w in ws:
            self.assertLessEqual(len(w), 510)
            self.assertEqual(b[start:start + len(w)], w)
            covered.update(range(start, start + len(w)))
        self.assertEqual(covered, set(range(len(b))))

    def test_short_text_is_one_window_with_cls_and_sep(self):
        self.assertEqual(windows(b"hi", 512, 384), [(0, b"hi")])
        self.assertEqual(encode_bytes("hé".encode("utf-8")), [1, 104 + 4, 0xC3 + 4, 0xA9 + 4, 2])


if __name__ == "__main__":
    unittest.main()
