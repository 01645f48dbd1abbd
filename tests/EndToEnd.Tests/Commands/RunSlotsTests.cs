using Policyc.Cli.Commands;
using Policyc.Runtime;
using Policyc.Runtime.Scenarios;

namespace Policyc.EndToEnd.Tests.Commands;

/// <summary>How many simulations compare and sweep run at once: cores, then memory, and --jobs as given.</summary>
public class RunSlotsTests
{
    const long GB = 1_000_000_000;

    [Fact]
    public void One_run_per_core_when_the_memory_holds_them()
    {
        var (slots, note) = RunSlots.Choose(runs: 11, cores: 8, availableBytes: 64 * GB, perRunBytes: 2 * GB, "seed", jobs: null);
        Assert.Equal(8, slots);
        Assert.Null(note);
    }

    [Fact]
    public void No_more_runs_at_once_than_there_are_runs()
    {
        Assert.Equal(2, RunSlots.Choose(runs: 2, cores: 8, availableBytes: 64 * GB, perRunBytes: 2 * GB, "seed", jobs: null).Slots);
        Assert.Equal(2, RunSlots.Choose(runs: 2, cores: 8, availableBytes: 64 * GB, perRunBytes: 2 * GB, "seed", jobs: 6).Slots);
    }

    [Fact]
    public void Fewer_runs_at_once_than_cores_when_memory_would_not_hold_them_and_it_says_so()
    {
        var (slots, note) = RunSlots.Choose(runs: 11, cores: 8, availableBytes: 7 * GB, perRunBytes: 2 * GB, "seed", jobs: null);
        Assert.Equal(3, slots);
        Assert.Equal("policyc: running 3 at a time, not 8: a run of 'seed' needs about 2.0 GB of memory, and 7.0 GB is available (--jobs N chooses)", note);
    }

    [Fact]
    public void At_least_one_run_even_when_one_does_not_fit()
    {
        Assert.Equal(1, RunSlots.Choose(runs: 3, cores: 8, availableBytes: 0, perRunBytes: 2 * GB, "seed", jobs: null).Slots);
    }

    [Fact]
    public void Jobs_are_taken_as_given_with_a_warning_when_they_overcommit_the_memory()
    {
        var (slots, note) = RunSlots.Choose(runs: 11, cores: 2, availableBytes: 7 * GB, perRunBytes: 2 * GB, "seed", jobs: 6);
        Assert.Equal(6, slots);
        Assert.Equal("policyc: warning: --jobs 6: 6 runs of 'seed' at once need about 12.0 GB of memory, and 7.0 GB is available", note);
        Assert.Null(RunSlots.Choose(runs: 11, cores: 2, availableBytes: 7 * GB, perRunBytes: 2 * GB, "seed", jobs: 3).Note);
    }

    [Fact]
    public void The_estimate_grows_with_the_machine_and_the_tree_and_puts_the_seed_near_its_measured_peak()
    {
        long seed = SimulationFootprint.EstimatedBytes(BuiltinScenarios.Seed);
        // Measured: the whole process peaks at 1.9 GiB (2.0 GB) on seed; the estimate may not be below
        // what a run adds, nor so far above that it halves the runs a machine could hold.
        Assert.InRange(seed, 2_000_000_000, 2_600_000_000);
        Assert.True(SimulationFootprint.EstimatedBytes(BuiltinScenarios.SeedMinimal) < seed);
        Assert.True(SimulationFootprint.EstimatedBytes(BuiltinScenarios.Small) < SimulationFootprint.EstimatedBytes(BuiltinScenarios.SeedMinimal));
        Assert.True(SimulationFootprint.EstimatedBytes(BuiltinScenarios.Seed with { MemBytes = 64L << 30 }) > seed);
    }
}
