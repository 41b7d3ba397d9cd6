#!/bin/sh
# Optional speed-up: unpack Debian's OpenBLAS next to the pipeline (training/.cache/openblas) without
# installing it system-wide. training/py picks it up through LD_LIBRARY_PATH.
set -e
D="$(cd "$(dirname "$0")/.." && pwd)/.cache/openblas"
mkdir -p "$D" && cd "$D"
ls libopenblas0-pthread_*.deb >/dev/null 2>&1 || apt-get download libopenblas0-pthread
dpkg -x libopenblas0-pthread_*.deb root
echo "OpenBLAS unpacked in $D/root"
