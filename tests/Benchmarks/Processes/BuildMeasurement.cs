namespace Policyc.Benchmarks.Processes;

public sealed record BuildResults(double ColdS, double WarmS, double HostFloorS, IReadOnlyList<double> ColdRuns, IReadOnlyList<double> WarmRuns, IReadOnlyList<double> HostFloorRuns);

/// <summary>
/// <c>policyc build POLICY</c> end to end, as a process, the way a user runs it: cold (an empty build
/// cache, so Roslyn compiles) and warm (the cache holds the assembly). The floor is <c>policyc --version</c>:
/// the launcher, the .NET host and the command line, with no compiler work at all.
/// </summary>
public static class BuildMeasurement
{
    public static BuildResults Run(string repository, PolicycLauncher policyc, string policy, int runs, TextWriter log)
    {
        // Untimed: builds the command if the checkout changed, and warms the OS file cache.
        Require(policyc.Run(repository, null, "--version"), "policyc --version");

        var floor = new List<double>();
        var cold = new List<double>();
        var warm = new List<double>();
        string root = Directory.CreateTempSubdirectory("policyc-bench-cache-").FullName;
        try
        {
            for (int i = 0; i < runs; i++)
            {
                floor.Add(Require(policyc.Run(repository, null, "--version"), "policyc --version").WallSeconds);

                string cache = Path.Combine(root, $"run{i}");
                var environment = new Dictionary<string, string> { ["POLICYC_CACHE"] = cache };
                var first = Require(policyc.Run(repository, environment, "build", policy), "policyc build (cold)");
                Expect(first, "compiled");
                cold.Add(first.WallSeconds);

                var second = Require(policyc.Run(repository, environment, "build", policy), "policyc build (warm)");
                Expect(second, "cached");
                warm.Add(second.WallSeconds);
                log.WriteLine($"build: run {i + 1}/{runs}: floor {floor[^1]:0.000} s, cold {cold[^1]:0.000} s, warm {warm[^1]:0.000} s");
            }
        }
        finally
        {
            Directory.Delete(root, recursive: true);
        }
        return new BuildResults(Statistics.Median(cold), Statistics.Median(warm), Statistics.Median(floor), cold, warm, floor);
    }

    static ProcessRun Require(ProcessRun run, string what) => run.ExitCode == 0
        ? run
        : throw new InvalidOperationException($"{what} exited with {run.ExitCode}: {TimedProcess.CommandStderr(run)}");

    /// <summary>The build reports how it got the assembly ("…; compiled)" or "…; cached)"): a warm run that compiled is no warm run.</summary>
    static void Expect(ProcessRun run, string how)
    {
        if (!(run.Stdout + run.Stderr).Contains($"; {how})", StringComparison.Ordinal))
            throw new InvalidOperationException($"policyc build did not report '{how}': {run.Stdout.Trim()} {TimedProcess.CommandStderr(run)}");
    }
}
