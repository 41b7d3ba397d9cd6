"""Lexical head: the vectorised feature hashing equals the plain reference, FNV-1a is the standard one,
and the spec's edge cases (whitespace, invisible characters, astral code points) behave as written."""
import sys
import unittest
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from diffguard_train.lexical import (BUCKETS, PARITY_TEXTS, features, features_slow, fnv1a, fit_platt, sig,
                                     auroc)


class LexicalTest(unittest.TestCase):
    def test_fnv1a_reference_values(self):
        # published FNV-1a 32-bit test vectors
        assert fnv1a(b"") == 0x811C9DC5
        assert fnv1a(b"a") == 0xE40C292C
        assert fnv1a(b"foobar") == 0xBF9CF968


    def test_fast_features_equal_reference(self):
        extra = ["", " ", "ab", "abc", "  x  ", "tab\there\nnew", "𝔘𝔫𝔦𝔠𝔬𝔡𝔢 🐱🐶", "ΣΑΣ σας", "İstanbul"]
        for t in PARITY_TEXTS + extra:
            f = features(t)
            assert list(f) == features_slow(t), t
            assert all(0 <= x < BUCKETS for x in f)


    def test_invisible_characters_do_not_change_features(self):
        assert list(features("ple\u200base help")) == list(features("please help"))
        assert list(features("Hello   World")) == list(features("hello world"))


    def test_platt_recovers_scale(self):
        rng = np.random.default_rng(0)
        z = rng.normal(size=4000)
        y = (rng.random(4000) < sig(2.0 * z - 0.5)).astype(float)
        a, b = fit_platt(z, y)
        assert abs(a - 2.0) < 0.3 and abs(b + 0.5) < 0.2


    def test_auroc(self):
        assert auroc([2, 3], [0, 1]) == 1.0
        assert auroc([0], [0]) == 0.5

    def test_keep_harmful_copies_only_the_harmful_row(self):
        import json
        import tempfile
        from diffguard_train.lexical import LEX_CATS, keep_harmful
        rng = np.random.default_rng(1)
        old_W = rng.normal(size=(3, BUCKETS)).astype(np.float32)
        old_b = np.array([0.5, -1.0, 2.0], dtype=np.float32)
        with tempfile.TemporaryDirectory() as d:
            (Path(d) / "weights.bin").write_bytes(old_W.astype("<f4").tobytes() + old_b.astype("<f4").tobytes())
            (Path(d) / "manifest.json").write_text(json.dumps({"categories": LEX_CATS, "buckets": BUCKETS}))
            W, b = np.zeros((3, BUCKETS), np.float32), np.zeros(3, np.float32)
            keep_harmful(W, b, Path(d))
        k = LEX_CATS.index("harmful")
        assert np.array_equal(W[k], old_W[k]) and b[k] == old_b[k]
        others = [i for i in range(3) if i != k]
        assert not W[others].any() and not b[others].any()

    def test_keep_categories_copies_the_attack_rows_and_leaves_harmful(self):
        import json
        import tempfile
        from diffguard_train.lexical import LEX_CATS, keep_categories
        rng = np.random.default_rng(2)
        old_W = rng.normal(size=(3, BUCKETS)).astype(np.float32)
        old_b = np.array([0.5, -1.0, 2.0], dtype=np.float32)
        attack = [c for c in LEX_CATS if c != "harmful"]
        with tempfile.TemporaryDirectory() as d:
            (Path(d) / "weights.bin").write_bytes(old_W.astype("<f4").tobytes() + old_b.astype("<f4").tobytes())
            (Path(d) / "manifest.json").write_text(json.dumps({"categories": LEX_CATS, "buckets": BUCKETS}))
            W, b = np.ones((3, BUCKETS), np.float32), np.ones(3, np.float32)
            keep_categories(W, b, Path(d), attack)
        for c in attack:
            k = LEX_CATS.index(c)
            assert np.array_equal(W[k], old_W[k]) and b[k] == old_b[k]
        k = LEX_CATS.index("harmful")
        assert (W[k] == 1).all() and b[k] == 1
