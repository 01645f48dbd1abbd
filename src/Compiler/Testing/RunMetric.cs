using Policyc.Runtime.Mm;
using Policyc.Runtime.Policy;
using Policyc.Runtime.Reporting;

namespace Policyc.Compiler.Testing;

/// <summary>
/// A number a scenario test may bound, read from the run's report. Values use the policy
/// language's units (durations in nanoseconds, bytes, percent), so <c>expect livelock_onset &gt; 60s</c>
/// reads as it would in a rule. A metric the run did not produce (no livelock, never completed) is null.
/// </summary>
public sealed record RunMetric(string Name, PolicyType Type, string Doc, Func<RunReport, long?> Read)
{
    const long Second = 1_000_000_000;

    /// <summary>
    /// The verdicts, as names a test writes: <c>expect verdict == livelock</c>. Every verdict a run
    /// report can carry (docs/run-json.md); a report's <c>policy-error</c> is written <c>policy_error</c>.
    /// </summary>
    public static IReadOnlyList<string> Verdicts { get; } = ["completed", "livelock", "timeout", "oom", "policy_error", "interrupted"];

    static long? Ns(double? seconds) => seconds is double s ? (long)Math.Round(s * Second) : null;

    public static IReadOnlyList<RunMetric> All { get; } =
    [
        new("verdict", PolicyType.Count, "completed, livelock, timeout, oom, policy_error or interrupted.",
            r => Verdicts.ToList().IndexOf(r.Verdict.Replace('-', '_'))),
        new("files_removed", PolicyType.Count, "Files the rm -rf removed.", r => r.Progress.FilesRemoved),
        new("files_per_second", PolicyType.Count, "Average removal rate over the run.", r => (long)Math.Round(r.Progress.FilesPerSecond)),
        new("completed_at", PolicyType.Duration, "When the rm -rf finished.", r => Ns(r.Progress.CompletedS)),
        new("livelock_onset", PolicyType.Duration, "When the livelock detector fired.", r => Ns(r.Livelock.OnsetS)),
        new("livelock_recovered", PolicyType.Duration, "When removals resumed for good after the livelock (not a resumption that stalled again).", r => Ns(r.Livelock.RecoveredS)),
        new("kswapd_wakeups", PolicyType.Count, "Times kswapd was woken.", r => r.Kswapd.Wakeups),
        new("kswapd_slab_freed", PolicyType.Count, "Slab objects kswapd's shrink_slab freed.", r => r.Kswapd.SlabObjectsFreed),
        new("livelock_kswapd_slab_freed", PolicyType.Count, "Slab objects kswapd's shrink_slab freed during the livelock (the report: none).",
            r => r.DuringLivelock?.Kswapd.SlabObjectsFreed),
        new("reclaim_cpu", PolicyType.Percent, "Share of CPU time in reclaim at the end of the run.", r => (long)Math.Round(r.End.ReclaimCpuPercent)),
        new("free_at_end", PolicyType.Bytes, "Free memory at the end of the run.", r => r.End.Memory.FreeKb * 1024),
        new("slab_at_end", PolicyType.Bytes, "Slab memory at the end of the run.", r => r.End.Slab.Sum(s => s.SizeKb) * 1024),
        // /proc/vmstat's reclaim events over the run (expect compact_stall > 0; expect slabs_scanned == 0).
        .. Enum.GetValues<VmEvent>().Select(e => VmEvents.Name(e)).Select(name =>
            new RunMetric(name, PolicyType.Count, $"/proc/vmstat's {name} over the run.", r => r.End.Vmstat.TryGetValue(name, out long n) ? n : 0)),
    ];

    public static RunMetric? Find(string name) => All.FirstOrDefault(m => m.Name == name);
}
