#!/bin/bash
# The defence benchmark of README "Defences": 8 workers, 1 attacker, the paper's CNN, the CIFAR-10 subset, 2 epochs.
# Cells go to runs/bench-defences-cifar.jsonl; rerunning skips finished cells and prints the tables.
# ORLEANSRING_CLI may point at a copy of the built CLI (so rebuilding the repository does not disturb a long run).
set -euo pipefail
cd "$(dirname "$0")/.."
O=${ORLEANSRING_CLI:-src/OrleansRing.Cli/bin/Debug/net10.0/orleansring.dll}
D=${CIFAR:-../shared/data/cifar10/cifar-10-subset-binary.tar.gz}
OUT=${OUT:-runs/bench-defences-cifar.jsonl}
C=(--data "$D" --workers 8 --attackers 1 --epochs 2 --out "$OUT")
# In order of priority (a rerun skips the finished cells):
# 1. each of the paper's five attacks against the plain ring and trimmed mean;
dotnet "$O" bench defences "${C[@]}" --defences "none;trimmed-mean" --attacks "none;paper"
# 1b. detect-and-exclude and selection against the attacks trimmed mean only dampens;
dotnet "$O" bench defences "${C[@]}" --defences "trimmed-mean:exclude=true" --attacks "gradient-ascent;random-value;same-value"
dotnet "$O" bench defences "${C[@]}" --defences "multi-krum" --attacks "gradient-flipping;label-flipping"
# 2. every shipped defence without attack;
dotnet "$O" bench defences "${C[@]}" --defences "median;krum;krum:pre=none;multi-krum;geometric-median;centered-clipping;bulyan;mda;average:pre=nnm;average:pre=clip;average:pre=arc;average:pre=bucketing;non-finite-rejection;sign-vote;partial-sum-clipping;allgather-commitments;replica-consistency" --attacks "none"
# 3. forgery inside the ring;
dotnet "$O" bench defences "${C[@]}" --defences "none;allgather-commitments;replica-consistency" --attacks "ring-dissensus"
# 4. more robust rules against the paper's attacks.
dotnet "$O" bench defences "${C[@]}" --defences "multi-krum;median;centered-clipping;geometric-median;bulyan" --attacks "paper"
# 5. the ring-native clipping against the large-norm attacks, and Krum over buckets of two.
dotnet "$O" bench defences "${C[@]}" --defences "partial-sum-clipping" --attacks "same-value;random-value;gradient-ascent"
dotnet "$O" bench defences "${C[@]}" --defences "partial-sum-clipping:exclude=true" --attacks "same-value;random-value"
dotnet "$O" bench defences "${C[@]}" --defences "krum:pre=bucketing" --attacks "none"
# 6. Krum (after NNM by default) against the paper's attacks;
dotnet "$O" bench defences "${C[@]}" --defences "krum" --attacks "paper"
# 7. momentum on the workers (Karimireddy et al. 2021) instead of on the replicas, without attack;
dotnet "$O" bench defences "${C[@]}" --momentum-at worker --defences "none;krum;krum:pre=none;multi-krum" --attacks "none"
# 8. the remaining rules against the paper's attacks.
dotnet "$O" bench defences "${C[@]}" --defences "mda;sign-vote;non-finite-rejection;allgather-commitments;replica-consistency" --attacks "paper"
