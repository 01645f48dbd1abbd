using Units = Policyc.Cli.Rendering.Units;
using Policyc.Runtime.Scenarios;

namespace Policyc.Cli.Reporting;

/// <summary>
/// What machine and workload a run simulates, after every flag was applied: one line, and a second
/// with the scenario's settings when it is not a built-in as it is.
/// </summary>
public static class ScenarioSummary
{
    const double NsPerSecond = 1e9;

    public static string Describe(Scenario s)
    {
        var drop = s.DropCachesAt is { } at ? $"drop_caches {s.DropCachesMode} at {Units.Seconds(at / NsPerSecond)}" : "no drop_caches";
        var line = $"scenario {s.Name}: {Units.KibiBytes(s.MemBytes / 1024)} RAM, {Units.KibiBytes(s.SwapBytes / 1024)} swap, {s.Cpus} CPUs, " +
                   $"{s.Workers} rm workers over {Units.Count(s.Files)} files, {s.DirBlockBytes / 1024}k directory blocks, {drop}, " +
                   $"up to {Units.Duration(s.Duration / NsPerSecond)}, seed {s.Seed}";
        return Settings(s.Name, s.Base, s.Settings) is { } settings ? $"{line}\nsettings: {settings}" : line;
    }

    /// <summary>
    /// What the scenario changes of the built-in it starts from (a file's entries, then flags, then <c>--set</c>),
    /// or null for a built-in as it is: with the base and the seed, enough to make the run again.
    /// </summary>
    public static string? Settings(string name, string baseName, IReadOnlyList<string> settings) =>
        settings.Count > 0 ? $"{baseName} with {string.Join(", ", settings)}"
        : baseName != name ? $"{baseName} as built in"
        : null;
}
