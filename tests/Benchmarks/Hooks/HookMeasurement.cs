using BenchmarkDotNet.Columns;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Jobs;
using BenchmarkDotNet.Loggers;
using BenchmarkDotNet.Reports;
using BenchmarkDotNet.Running;
using BenchmarkDotNet.Toolchains.InProcess.Emit;
using Perfolizer.Horology;
using Policyc.Benchmarks.Reporting;

namespace Policyc.Benchmarks.Hooks;

/// <summary>
/// Runs <see cref="HookBenchmarks"/> under BenchmarkDotNet, in this process, and turns the medians
/// into per-hook ratios measured side by side (all variants of a hook within the same minute).
/// </summary>
public static class HookMeasurement
{
    public static HookResults Run(string policyPath, bool quick, string artifacts, TextWriter log)
    {
        HookTables.PolicyPath = policyPath;
        HookBenchmarks.Cases = quick ? HookCase.Quick : HookCase.All;

        // In-process: the benchmark needs the compiler's build (ANTLR step included) only once, and every
        // variant of a hook shares the process. Quick mode checks the harness works, nothing more.
        var job = Job.Default
            .WithToolchain(InProcessEmitToolchain.Instance)
            .WithWarmupCount(quick ? 1 : 6)
            .WithIterationCount(quick ? 3 : 15)
            .WithIterationTime(TimeInterval.FromMilliseconds(quick ? 10 : 40))
            .WithLaunchCount(1)
            // The harness calls a benchmark once per 256 hook calls: its own overhead is noise, not worth measuring.
            .WithEvaluateOverhead(false);
        var config = ManualConfig.CreateEmpty()
            .AddJob(job)
            .AddLogger(new StreamLogger(Path.Combine(artifacts, "hooks-benchmarkdotnet.log")))
            .AddColumnProvider(DefaultColumnProviders.Instance)
            .WithArtifactsPath(artifacts)
            .WithOptions(ConfigOptions.DisableLogFile | ConfigOptions.JoinSummary);

        log.WriteLine($"hooks: {HookBenchmarks.Cases.Count} rules x 5 implementations ({(quick ? "quick" : "full")} job)...");
        var summary = BenchmarkRunner.Run<HookBenchmarks>(config);
        if (summary.HasCriticalValidationErrors || summary.Reports.Any(r => !r.Success || r.ResultStatistics is null))
            throw new InvalidOperationException($"the hook benchmarks failed; see {Path.Combine(artifacts, "hooks-benchmarkdotnet.log")}");
        log.WriteLine($"hooks: paired rounds ({HookBenchmarks.Cases.Count} rules)...");
        var paired = HookBenchmarks.Cases.ToDictionary(c => c.Name, c =>
        {
            var variants = new HookVariants(c, HookTables.Instance);
            variants.ReachFullOptimization();
            return PairedMeasurement.Run(variants, rounds: quick ? 11 : 101);
        });
        return Collect(summary, paired);
    }

    static HookResults Collect(Summary summary, IReadOnlyDictionary<string, PairedMeasurement.Ratios> paired)
    {
        double Median(string hook, string method) => summary.Reports
            .Single(r => r.BenchmarkCase.Descriptor.WorkloadMethod.Name == method
                         && (string)r.BenchmarkCase.Parameters["Hook"] == hook)
            .ResultStatistics!.Median; // nanoseconds per call (OperationsPerInvoke)

        var rows = HookBenchmarks.Cases.Select(c => new HookRow
        {
            Hook = c.Name,
            HandwrittenNs = Round(Median(c.Name, nameof(HookBenchmarks.Handwritten))),
            CompiledNs = Round(Median(c.Name, nameof(HookBenchmarks.Compiled))),
            CompiledDefaultContextNs = Round(Median(c.Name, nameof(HookBenchmarks.CompiledDefaultContext))),
            InterpretedNs = Round(Median(c.Name, nameof(HookBenchmarks.Interpreted))),
            HandwrittenLambdaNs = Round(Median(c.Name, nameof(HookBenchmarks.HandwrittenLambda))),
            PairedCompiledOverHandwritten = paired[c.Name].CompiledOverHandwritten,
            PairedInterpretedOverCompiled = paired[c.Name].InterpretedOverCompiled,
        }).ToArray();
        return new HookResults(rows);
    }

    static double Round(double ns) => Math.Round(ns, 3);
}
