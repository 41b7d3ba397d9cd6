#!/bin/sh
# The semantic harm head and the attack head end to end (about 8 minutes on the 2-core CPU machine):
# tokenise (Python) -> embed with the int8 encoder, one text per run as at run time (onnxruntime-node)
# -> train the MLP head, calibrate, fit thresholds (Python) -> export models/semantic/<version>/.
# Then `npm run build && npm run train:fusion` fits the fusion for the new version.
# DATA=dir overrides training/.cache/data. Needs training/runs/semantic-encoder-int8/ from
# `diffguard_train.semantic convert` then `quantize` (see training/README.md).
set -eu
ROOT="$(cd "$(dirname "$0")/../.." && pwd)"
ENC="$ROOT/training/runs/semantic-encoder-int8"
RUN="$ROOT/training/runs/semantic"
if [ ! -f "$ENC/encoder.onnx" ]; then
  echo "no int8 encoder in $ENC: run training/py -m diffguard_train.semantic convert --from DIR, then quantize --from DIR" >&2
  exit 2
fi
"$ROOT/training/py" -m diffguard_train.semantic ids --encoder "$ENC" --run "$RUN" ${DATA:+--data "$DATA"}
for split in val train; do
  node "$ROOT/training/scripts/embed-ids.mjs" "$ENC/encoder.onnx" "$RUN/ids_$split.json" "$RUN/E_$split.f32" 1 1
done
"$ROOT/training/py" -m diffguard_train.semantic train --run "$RUN" ${DATA:+--data "$DATA"}
"$ROOT/training/py" -m diffguard_train.semantic export --run "$RUN" --encoder "$ENC" ${VERSION:+--version "$VERSION"}
# the attack head (P(jailbreak), P(injection)) on the same embeddings, written into the folder just exported
"$ROOT/training/py" -m diffguard_train.attack_head train --run "$RUN" ${DATA:+--data "$DATA"}
"$ROOT/training/py" -m diffguard_train.attack_head export --run "$RUN"
