#!/bin/sh
# The semantic harm head end to end (about 6 minutes on the 2-core CPU machine):
# tokenise (Python) -> embed with the converted encoder (onnxruntime-node) -> train the MLP head,
# calibrate, fit thresholds (Python) -> export models/semantic/<version>/.
# DATA=dir overrides training/.cache/data. Needs training/runs/semantic-encoder/ from `diffguard_train.semantic convert` (see training/README.md).
set -eu
ROOT="$(cd "$(dirname "$0")/../.." && pwd)"
ENC="$ROOT/training/runs/semantic-encoder"
RUN="$ROOT/training/runs/semantic"
if [ ! -f "$ENC/encoder.onnx" ]; then
  echo "no converted encoder in $ENC: run training/py -m diffguard_train.semantic convert --from DIR first" >&2
  exit 2
fi
"$ROOT/training/py" -m diffguard_train.semantic ids --encoder "$ENC" --run "$RUN" ${DATA:+--data "$DATA"}
for split in val train; do
  node "$ROOT/training/scripts/embed-ids.mjs" "$ENC/encoder.onnx" "$RUN/ids_$split.json" "$RUN/E_$split.f32"
done
"$ROOT/training/py" -m diffguard_train.semantic train --run "$RUN" ${DATA:+--data "$DATA"}
"$ROOT/training/py" -m diffguard_train.semantic export --run "$RUN" --encoder "$ENC"
