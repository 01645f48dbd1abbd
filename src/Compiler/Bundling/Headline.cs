using System.Globalization;
using Policyc.Runtime.Reporting;

namespace Policyc.Compiler.Bundling;

/// <summary>
/// The headline metrics a bundle records and a replay must reproduce exactly: they are determined by
/// the policy, the scenario and the seed, so any difference means the replay is not the same run.
/// </summary>
public static class Headline
{
    public static IReadOnlyList<(string Name, string Value)> Of(RunReport r) =>
    [
        ("verdict", r.Verdict),
        ("files_removed", $"{r.Progress.FilesRemoved} of {r.Progress.FilesTotal}"),
        ("files_per_second", Number(r.Progress.FilesPerSecond)),
        ("completed_s", r.Progress.CompletedS is { } c ? Number(c) : "-"),
        ("livelock_onset_s", r.Livelock is { Detected: true, OnsetS: { } o } ? Number(o) : "-"),
        ("livelock_recovered_s", r.Livelock is { Detected: true, RecoveredS: { } e } ? Number(e) : "-"),
        ("kswapd_wakeups", r.Kswapd.Wakeups.ToString(CultureInfo.InvariantCulture)),
        ("kswapd_slab_freed", r.Kswapd.SlabObjectsFreed.ToString(CultureInfo.InvariantCulture)),
        ("simulated_s", Number(r.SimulatedSeconds)),
    ];

    static string Number(double value) => Math.Round(value, 3).ToString("0.###", CultureInfo.InvariantCulture);

    /// <summary>Every expected metric the replay did not reproduce, as "name: expected X, got Y".</summary>
    public static IReadOnlyList<string> Mismatches(IReadOnlyList<(string Name, string Value)> expected, RunReport replay)
    {
        var actual = Of(replay).ToDictionary(m => m.Name, m => m.Value);
        return expected
            .Where(e => !actual.TryGetValue(e.Name, out var value) || value != e.Value)
            .Select(e => $"{e.Name}: expected {e.Value}, got {actual.GetValueOrDefault(e.Name) ?? "(not measured)"}")
            .ToArray();
    }
}
