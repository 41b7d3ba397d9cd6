"""DiffGuard analyzer training pipeline (data building, training, evaluation, ONNX export)."""
