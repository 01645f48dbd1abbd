using Policyc.Benchmarks.Hooks;
using Policyc.Benchmarks.Processes;
using Policyc.Benchmarks.Reporting;

namespace Policyc.Benchmarks;

/// <summary>Runs the three measurements in turn and writes bench.json; prints the table.</summary>
public static class Measure
{
    public sealed record Settings(bool Quick, string Repository, string Output, IReadOnlyList<string> Only, string? Scenario, string Policy, string? Policyc);

    public static int Run(Settings s)
    {
        var log = Console.Error;
        bool Wanted(string part) => s.Only.Count == 0 || s.Only.Contains(part, StringComparer.OrdinalIgnoreCase);
        string artifacts = Path.Combine(Path.GetDirectoryName(s.Output)!, "bench-artifacts");
        Directory.CreateDirectory(artifacts);
        string policyPath = Path.Combine(s.Repository, s.Policy);
        if (!File.Exists(policyPath))
        {
            log.WriteLine($"bench: no policy at {policyPath}");
            return 2;
        }

        var policyc = PolicycLauncher.For(s.Repository, s.Policyc);
        var report = new BenchReport
        {
            Mode = s.Quick ? "quick" : "full",
            MeasuredAt = DateTime.UtcNow.ToString("yyyy-MM-ddTHH:mm:ssZ"),
            Machine = MachineInfo.Current(),
        };
        try
        {
            if (Wanted("hooks"))
            {
                var hooks = HookMeasurement.Run(policyPath, s.Quick, artifacts, log);
                report = report with
                {
                    Hooks = hooks.Rows,
                    HookCompiledOverHandwritten = hooks.CompiledOverHandwritten,
                    HookInterpretedOverCompiled = hooks.InterpretedOverCompiled,
                    HookCompiledOverHandwrittenPaired = hooks.PairedCompiledOverHandwritten,
                    HookInterpretedOverCompiledPaired = hooks.PairedInterpretedOverCompiled,
                    HookCompiledWorstOverHandwrittenPaired = hooks.PairedWorstCompiledOverHandwritten,
                    HookInterpretedLeastOverCompiledPaired = hooks.PairedLeastInterpretedOverCompiled,
                    HookCollectibleOverDefaultContext = hooks.CompiledOverDefaultContext,
                    HookCompiledOverHandwrittenLambda = hooks.CompiledOverLambda,
                };
            }
            if (Wanted("build"))
            {
                var build = BuildMeasurement.Run(s.Repository, policyc, s.Policy, s.Quick ? 1 : 7, log);
                report = report with { Build = build, BuildColdS = build.ColdS, BuildWarmS = build.WarmS, BuildHostFloorS = build.HostFloorS };
            }
            if (Wanted("seed"))
            {
                var seed = SeedMeasurement.Run(s.Repository, policyc, s.Policy, s.Scenario ?? (s.Quick ? "small" : "seed"), s.Quick ? 1 : 3, log);
                report = report with
                {
                    Simulation = seed,
                    SeedWallS = seed.WallS,
                    SeedPeakRssMb = seed.PeakRssMb,
                    ScalingTime2x = seed.TimeRatio2x,
                    ScalingTime4x = seed.TimeRatio4x,
                    ScalingMemory2x = seed.MemoryRatio2x,
                    ScalingMemory4x = seed.MemoryRatio4x,
                };
            }
        }
        catch (InvalidOperationException e)
        {
            log.WriteLine($"bench: error: {e.Message}");
            File.WriteAllText(s.Output, report.ToJson());
            return 1;
        }

        File.WriteAllText(s.Output, report.ToJson());
        Console.Out.Write(BenchTable.Render(report));
        log.WriteLine($"bench: wrote {s.Output}");
        return 0;
    }
}
