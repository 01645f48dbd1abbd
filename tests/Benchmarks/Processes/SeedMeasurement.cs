using System.Text.Json;

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
    IReadOnlyList<SimulationRun> Scaling, double TimeRatio2x, double TimeRatio4x, double MemoryRatio2x, double MemoryRatio4x);

/// <summary>
/// The built-in scenario with the policy, through to completion, as a process under GNU time; then the
/// same scenario made 2x and 4x bigger (<see cref="ScenarioScaling"/>) to see that cost follows the work.
/// </summary>
public static class SeedMeasurement
{
    public static SeedResults Run(string repository, string policy, string scenario, int runs, TextWriter log)
    {
        var runner = Runner.Find(repository, policy);
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

            var seedRuns = Enumerable.Range(0, runs).Select(i => Once(1, i)).ToArray();
            // One run each at 2x and 4x: these are the slow ones, and only their ratio to the 1x median matters.
            var scaling = new[] { 2, 4 }.Select(scale => Once(scale, 0)).ToArray();
            double wall = Statistics.Median(seedRuns.Select(r => r.WallS));
            double rss = Statistics.Median(seedRuns.Select(r => r.PeakRssMb));
            return new SeedResults(scenario, runner.Description, wall, rss, seedRuns, scaling,
                Ratio(scaling[0].WallS, wall), Ratio(scaling[1].WallS, wall),
                Ratio(scaling[0].PeakRssMb, rss), Ratio(scaling[1].PeakRssMb, rss));
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

    /// <summary>
    /// How to start a simulation: <c>./policyc run</c> when the checkout has it, otherwise this program's
    /// own <c>simulate</c> command (same loader, same machine, no console views).
    /// </summary>
    sealed class Runner(string description, Func<string, string, IReadOnlyList<string>, string, ProcessRun> run)
    {
        public string Description { get; } = description;

        public ProcessRun Run(string policy, string scenario, IReadOnlyList<string> sets, string json) => run(policy, scenario, sets, json);

        public static Runner Find(string repository, string policy)
        {
            string launcher = Path.Combine(repository, "policyc");
            var environment = new Dictionary<string, string> { ["POLICYC_CACHE"] = Path.Combine(Path.GetTempPath(), "policyc-bench-run-cache") };
            // Fill the build cache first: every timed run then loads the policy the way a user's second run does.
            var build = TimedProcess.Run(repository, environment, launcher, "build", policy);
            if (build.ExitCode != 0)
                throw new InvalidOperationException($"policyc build exited with {build.ExitCode}: {TimedProcess.CommandStderr(build)}");
            if (HasRunCommand(TimedProcess.Run(repository, null, launcher, "--help").Stdout))
                return new Runner("./policyc run", (policy, scenario, sets, json) =>
                    TimedProcess.Run(repository, environment, launcher,
                        ["run", policy, "--scenario", scenario, .. sets.SelectMany(s => new[] { "--set", s }), "--json", json]));

            string self = Environment.ProcessPath ?? throw new InvalidOperationException("cannot find this program's path");
            string[] prefix = self.EndsWith("dotnet", StringComparison.Ordinal) ? [typeof(Runner).Assembly.Location] : [];
            return new Runner("Policyc.Benchmarks simulate (this checkout's policyc has no run command)", (policy, scenario, sets, json) =>
                TimedProcess.Run(repository, environment, self,
                    [.. prefix, "simulate", policy, "--scenario", scenario, .. sets.SelectMany(s => new[] { "--set", s }), "--json", json]));
        }

        /// <summary>Whether <c>policyc --help</c> lists a <c>run</c> command under "Commands:".</summary>
        static bool HasRunCommand(string help) =>
            help.Split('\n').SkipWhile(l => !l.StartsWith("Commands:", StringComparison.Ordinal))
                .Any(l => l.TrimStart().StartsWith("run ", StringComparison.Ordinal));
    }
}
