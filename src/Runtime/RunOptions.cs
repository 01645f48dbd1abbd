namespace Policyc.Runtime;

/// <summary>How to run a simulation, as opposed to what to simulate (the scenario).</summary>
public sealed record RunOptions
{
    /// <summary>Check the machine's invariants after every sample; a violation ends the run with an exception.</summary>
    public bool CheckInvariants { get; init; }
    /// <summary>
    /// Stop after this many events; the verdict is then timeout. Every run has one, so a policy that
    /// keeps the machine busy without letting virtual time reach the duration still ends in bounded
    /// wall time. The default is more than 50 times the events of a full run of the seed scenario.
    /// </summary>
    public long? EventBudget { get; init; } = DefaultEventBudget;

    public const long DefaultEventBudget = 100_000_000;
    /// <summary>Virtual seconds between samples of the time series (and invariant checks).</summary>
    public double SampleIntervalS { get; init; } = 1;
}

/// <summary>Reported to the caller's IProgress about once per simulated sample.</summary>
public readonly record struct RunProgress(double SimulatedS, double DurationS, long FilesRemoved, long FilesTotal, string Phase);
