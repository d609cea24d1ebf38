#!/bin/sh
# make-samples.sh BUILD: regenerate the synthetic sample traces in samples/traces/ with
# BUILD/gentrace (deterministic: the same bytes every time). variations.txt.gz is
# hand-written and not regenerated.
set -eu
build=${1:-build}
out=$(dirname "$0")/traces
g="$build/gentrace"
"$g" --pattern seq --pages 64 --passes 4 | gzip -9n > "$out/seq-64x4.txt.gz"
"$g" --pattern random --pages 512 --events 4000 --seed 7 | gzip -9n > "$out/random-512.txt.gz"
"$g" --pattern threads --pages 32 --passes 3 --threads 4 | gzip -9n > "$out/threads-4x32.txt.gz"
"$g" --pattern hotcold --pages 1000 --events 5000 --original-format | gzip -9n > "$out/hotcold-original-format.txt.gz"
