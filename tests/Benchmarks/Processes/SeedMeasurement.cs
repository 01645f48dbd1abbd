using System.Text.Json;
using System.Text.Json.Serialization;

namespace Policyc.Benchmarks.Processes;

/// <summary>One simulation as a process: what it cost and what it did (from its JSON report).</summary>
public sealed record SimulationRun
{
    public required int Scale { get; init; }
    public required double WallS { get; init; }
    public required double PeakRssMb { get; init; }
    public required string Verdict { get; init; }
    public required long FilesRemoved { get; init; }
    public required long EventsProcessed { get; init; }
    public required double SimulatedS { get; init; }
}

public sealed record SeedResults(
    string Scenario, string Runner, double WallS, double PeakRssMb, IReadOnlyList<SimulationRun> Runs,
    IReadOnlyList<SimulationRun> Scaling,
    [property: JsonPropertyName("time_ratio_2x")] double TimeRatio2x,
    [property: JsonPropertyName("time_ratio_4x")] double TimeRatio4x,
    [property: JsonPropertyName("memory_ratio_2x")] double MemoryRatio2x,
    [property: JsonPropertyName("memory_ratio_4x")] double MemoryRatio4x);

/// <summary>
/// The built-in scenario with the policy, through to completion, as a process under GNU time, beside the
/// same scenario made 2x and 4x bigger (<see cref="ScenarioScaling"/>) to see that cost follows the work.
/// </summary>
public static class SeedMeasurement
{
    public static SeedResults Run(string repository, PolicycLauncher policyc, string policy, string scenario, int runs, TextWriter log)
    {
        var runner = Runner.Find(repository, policyc, policy);
        log.WriteLine($"simulation: scenario {scenario} through {runner.Description}");
        string directory = Directory.CreateTempSubdirectory("policyc-bench-run-").FullName;
        try
        {
            SimulationRun Once(int scale, int index)
            {
                string json = Path.Combine(directory, $"{scenario}-x{scale}-{index}.json");
                var run = runner.Run(policy, scenario, ScenarioScaling.Overrides(scenario, scale), json);
                if (run.ExitCode != 0 || !File.Exists(json))
                    throw new InvalidOperationException($"the {scenario} x{scale} run exited with {run.ExitCode}: {TimedProcess.CommandStderr(run)}");
                var result = Read(json, scale, run);
                log.WriteLine($"simulation: {scenario} x{scale}: {result.WallS:0.00} s wall, {result.PeakRssMb:0} MB peak RSS, " +
                              $"{result.Verdict}, {result.FilesRemoved} files removed, {result.EventsProcessed} events, {result.SimulatedS:0} s simulated");
                return result;
            }

            // Rounds of 1x, 2x, 4x rather than all 1x runs first: a stretch of heavy load from other
            // processes then touches every scale alike. Each scale's median is kept.
            var all = new List<SimulationRun>();
            for (int i = 0; i < runs; i++)
                foreach (int scale in new[] { 1, 2, 4 })
                    all.Add(Once(scale, i));
            double Wall(int scale) => Statistics.Median(all.Where(r => r.Scale == scale).Select(r => r.WallS));
            double Rss(int scale) => Statistics.Median(all.Where(r => r.Scale == scale).Select(r => r.PeakRssMb));
            return new SeedResults(scenario, runner.Description, Wall(1), Rss(1),
                all.Where(r => r.Scale == 1).ToArray(), all.Where(r => r.Scale != 1).ToArray(),
                Ratio(Wall(2), Wall(1)), Ratio(Wall(4), Wall(1)),
                Ratio(Rss(2), Rss(1)), Ratio(Rss(4), Rss(1)));
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }

    static double Ratio(double a, double b) => Math.Round(a / b, 3);

    static SimulationRun Read(string json, int scale, ProcessRun run)
    {
        using var document = JsonDocument.Parse(File.ReadAllBytes(json));
        var root = document.RootElement;
        return new SimulationRun
        {
            Scale = scale,
            WallS = run.WallSeconds,
            PeakRssMb = run.PeakRssMb,
            Verdict = root.GetProperty("verdict").GetString() ?? "",
            FilesRemoved = root.GetProperty("progress").GetProperty("files_removed").GetInt64(),
            EventsProcessed = root.TryGetProperty("events_processed", out var events) ? events.GetInt64() : 0,
            SimulatedS = root.GetProperty("simulated_seconds").GetDouble(),
        };
    }

    /// <summary><c>policyc run</c> with a build cache of its own, filled before any timed run.</summary>
    sealed class Runner(PolicycLauncher policyc, string repository, IReadOnlyDictionary<string, string> environment)
    {
        public string Description => policyc.Description + " run";

        public ProcessRun Run(string policy, string scenario, IReadOnlyList<string> sets, string json) =>
            policyc.Run(repository, environment,
                ["run", policy, "--scenario", scenario, .. sets.SelectMany(s => new[] { "--set", s }), "--json", json]);

        public static Runner Find(string repository, PolicycLauncher policyc, string policy)
        {
            var environment = new Dictionary<string, string> { ["POLICYC_CACHE"] = Path.Combine(Path.GetTempPath(), "policyc-bench-run-cache") };
            // Fill the build cache first: every timed run then loads the policy the way a user's second run does.
            var build = policyc.Run(repository, environment, "build", policy);
            if (build.ExitCode != 0)
                throw new InvalidOperationException($"policyc build exited with {build.ExitCode}: {TimedProcess.CommandStderr(build)}");
            return new Runner(policyc, repository, environment);
        }
    }
}
