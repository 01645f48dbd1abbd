using System.Globalization;
using Policyc.Runtime.Scenarios;

namespace Policyc.Benchmarks.Processes;

/// <summary>
/// A built-in scenario made k times bigger: k times the files, and k times everything that must grow
/// with them for the story to stay the same (RAM, swap, the other tenants' memory, the timeline), so
/// the machine livelocks at the same point of the work and recovers the same way. CPUs, workers, the
/// directory shape and every per-operation cost stay as they are: the work per file does not change.
/// The directory shape is the number of directories when each worker has one of its own (the seed's
/// fs_mark tree: their rmdirs come at the end of the work at every scale), and otherwise the size of
/// a directory.
/// </summary>
public static class ScenarioScaling
{
    /// <summary>Scenario field keys (as <c>--set</c> takes them) and the property holding the base value.</summary>
    static readonly (string Key, string Property)[] Scaled =
    [
        ("files", nameof(Scenario.Files)),
        ("mem", nameof(Scenario.MemBytes)),
        ("swap", nameof(Scenario.SwapBytes)),
        ("kernel-reserved", nameof(Scenario.KernelReservedBytes)),
        ("other-anon", nameof(Scenario.OtherAnonBytes)),
        ("aging-page-cache", nameof(Scenario.AgingPageCacheBytes)),
        ("hot-page-cache", nameof(Scenario.HotPageCacheBytes)),
        ("memory-hog", "MemoryHogBytes"),          // present once the runtime models the report's other tenant
        ("swap-in-churn", nameof(Scenario.SwapInChurnPages)),
        ("drop-caches-at", nameof(Scenario.DropCachesAt)),
        ("duration", nameof(Scenario.Duration)),
    ];

    /// <summary>The <c>--set key=value</c> overrides that scale <paramref name="scenarioName"/> by <paramref name="factor"/>.</summary>
    public static IReadOnlyList<string> Overrides(string scenarioName, int factor)
    {
        if (factor == 1)
            return [];
        var scenario = BuiltinScenarios.Get(scenarioName);
        var result = new List<string>();
        foreach (var (key, property) in Scaled)
        {
            if (!ScenarioOverrides.IsKnownKey(key))
                continue;
            var value = typeof(Scenario).GetProperty(property)?.GetValue(scenario);
            if (value is null)
                continue;
            long scaled = checked(Convert.ToInt64(value, CultureInfo.InvariantCulture) * factor);
            // Durations are nanoseconds in the scenario; the override parser wants a unit.
            string text = key is "drop-caches-at" or "duration"
                ? (scaled / 1_000_000_000).ToString(CultureInfo.InvariantCulture) + "s"
                : scaled.ToString(CultureInfo.InvariantCulture);
            result.Add($"{key}={text}");
        }
        long directories = (scenario.Files + scenario.FilesPerDirectory - 1) / scenario.FilesPerDirectory;
        if (directories <= scenario.Workers)
            result.Add("files-per-dir=" + checked(scenario.FilesPerDirectory * factor).ToString(CultureInfo.InvariantCulture));
        return result;
    }
}
