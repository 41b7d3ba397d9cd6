#!/usr/bin/env bash
# What one lent accelerator session ran (see training/README.md): three analyzer runs side by side on
# one GPU, validation of each, and a throughput measurement. Inputs travel in .gpucarry/ (gitignored):
# train/val JSONL (gzip), the data manifest, and a warm-start checkpoint r3/model.pt.
set -uo pipefail
MIN=${1:-6}
cd "$(dirname "$0")/../.."
mkdir -p training/.cache/data training/runs/r3
gunzip -c .gpucarry/train.jsonl.gz > training/.cache/data/train.jsonl
gunzip -c .gpucarry/val.jsonl.gz > training/.cache/data/val.jsonl
cp .gpucarry/manifest.json training/.cache/data/
cp .gpucarry/r3/model.pt training/runs/r3/
nvidia-smi -L
export PYTHONUNBUFFERED=1
cd training
common="--max-minutes $MIN --threads 2 --save-every-min 100"
python3 -m diffguard_train.train --name gA --init runs/r3 --lr 6e-4 --warmup 100 --byte-budget 48000 --max-batch 192 --seed 11 $common > "$OUT/gA.log" 2>&1 &
python3 -m diffguard_train.train --name gB --lr 2e-3 --byte-budget 48000 --max-batch 192 --seed 12 $common > "$OUT/gB.log" 2>&1 &
python3 -m diffguard_train.train --name gC --lr 1.5e-3 --seed 13 $common > "$OUT/gC.log" 2>&1 &
wait
for r in gA gB gC; do
  tail -2 "$OUT/$r.log"
  python3 -m diffguard_train.evaluate --run runs/$r --threads 4 > "$OUT/$r.eval.log" 2>&1 &
done
wait
python3 scripts/gpu_bench.py runs/gA --out runs/gA/gpu_bench.json 2>&1 | tail -8
for r in gA gB gC; do cp runs/$r/model.pt "$OUT/$r.pt"; grep -A4 '"harmful"' runs/$r/eval.json | head -6; done
tar czf "$OUT/small.tgz" runs/gA/*.json* runs/gB/*.json* runs/gC/*.json*
ls -la "$OUT"
