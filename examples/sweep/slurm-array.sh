#!/usr/bin/env bash
# The sweep of shipped-small.toml as a Slurm array job: each array task runs one shard with
# every core it was given; a second job merges the shards when all of them have finished.
#
#   mkdir -p results
#   jid=$(sbatch --parsable examples/sweep/slurm-array.sh)
#   sbatch --dependency=afterok:$jid --wrap \
#     './policyc sweep merge results/shard-*.jsonl --out results/shipped-small.jsonl --db results/sweeps.db --name shipped-small'
#
# Run from the repository root (./policyc builds itself on first use); the results directory must
# be on storage every node sees.
#SBATCH --job-name=policyc-sweep
#SBATCH --array=1-4
#SBATCH --cpus-per-task=4
#SBATCH --time=00:30:00
#SBATCH --output=results/slurm-%A_%a.log
set -euo pipefail

shards=${SLURM_ARRAY_TASK_COUNT:-4}
./policyc sweep --file examples/sweep/shipped-small.toml \
  --shard "${SLURM_ARRAY_TASK_ID}/${shards}" \
  --jobs "${SLURM_CPUS_PER_TASK:-1}" \
  --out "results/shard-${SLURM_ARRAY_TASK_ID}.jsonl"
