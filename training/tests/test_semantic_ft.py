"""Encoder fine-tuning helpers: packing token ids, splitting weights into files that come back from the
accelerator machine (each under 16 MB), and the recall-at-budget selection rule."""
import sys
import tempfile
import unittest
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from diffguard_train.semantic import encoder_module
from diffguard_train.semantic_ft import GROUPS, load_weights, pack_ids, recall_at_budget, save_weights


class PackTest(unittest.TestCase):
    def test_packed_ids_round_trip(self):
        ids = [[5, 7, 9], [8001], [6, 6]]
        flat, off = pack_ids(ids)
        assert flat.dtype == np.int16
        assert [flat[off[i]:off[i + 1]].tolist() for i in range(len(ids))] == ids


class WeightsTest(unittest.TestCase):
    def test_weights_split_into_small_files_and_load_back_whole(self):
        import torch
        torch.manual_seed(0)
        a = encoder_module()
        with tempfile.TemporaryDirectory() as d:
            save_weights(a, Path(d))
            sizes = {g: (Path(d) / f"{g}.pt").stat().st_size for g in GROUPS}
            assert max(sizes.values()) < 16 * 2 ** 20, sizes
            b = load_weights(encoder_module(), Path(d))
        for k, v in a.state_dict().items():
            assert torch.equal(v, b.state_dict()[k]), k


class SelectionTest(unittest.TestCase):
    def test_recall_is_measured_at_the_stricter_of_the_two_benign_budgets(self):
        rng = np.random.default_rng(0)
        n = 4000
        benign = np.arange(n) < 3000
        look = benign & (np.arange(n) % 2 == 0)
        y = (~benign).astype(float)
        p = rng.normal(size=n)
        p[look] += 1.0  # look-alikes score higher than ordinary benign prompts
        p[~benign] += 2.0
        r, t = recall_at_budget(p, y, benign, look, "balanced")
        # within one prompt of each budget (interpolated quantiles)
        assert (p[look] > t).mean() <= 0.015 + 1 / look.sum()
        assert (p[benign & ~look] > t).mean() <= 0.01 + 1 / (benign & ~look).sum()
        assert (p[look] > t).mean() > 0.01  # the look-alikes' budget is the binding one here
        assert 0 < r < 1


if __name__ == "__main__":
    unittest.main()
