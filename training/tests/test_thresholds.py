import unittest

import numpy as np

from diffguard_train.thresholds import FPR_LOOKALIKE, FPR_ORDINARY, harmful_threshold, lookalike_mask


class HarmfulThresholdTest(unittest.TestCase):
    def test_lookalikes_set_the_threshold_when_they_score_high(self):
        rng = np.random.default_rng(0)
        ordinary = rng.uniform(0.0, 0.2, 1000)
        look = rng.uniform(0.0, 1.0, 1000)
        t = harmful_threshold(ordinary, look, "balanced")
        self.assertAlmostEqual(float(np.mean(look >= t)), FPR_LOOKALIKE["balanced"], delta=0.005)
        self.assertEqual(float(np.mean(ordinary >= t)), 0.0)

    def test_ordinary_prompts_set_it_when_look_alikes_are_easy(self):
        rng = np.random.default_rng(1)
        ordinary = rng.uniform(0.0, 1.0, 1000)
        look = rng.uniform(0.0, 0.1, 1000)
        t = harmful_threshold(ordinary, look, "balanced")
        self.assertAlmostEqual(float(np.mean(ordinary >= t)), FPR_ORDINARY["balanced"], delta=0.005)

    def test_policies_are_ordered(self):
        rng = np.random.default_rng(2)
        o, la = rng.uniform(0, 1, 500), rng.uniform(0, 1, 500)
        s, b, p = (harmful_threshold(o, la, k) for k in ("strict", "balanced", "permissive"))
        self.assertLess(s, b)
        self.assertLess(b, p)

    def test_lookalike_sources(self):
        self.assertEqual(lookalike_mask(["phtest", "gsm8k", "coconot_contrast"]).tolist(), [True, False, True])


if __name__ == "__main__":
    unittest.main()
