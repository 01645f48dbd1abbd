using System.Globalization;

namespace Policyc.Benchmarks.Reporting;

/// <summary>bench.json as a table for the terminal: each figure beside its target.</summary>
public static class BenchTable
{
    public static string Render(BenchReport r)
    {
        var rows = new List<(string Name, string Value, string Target, string Verdict)>();
        void Add(string name, double? value, string unit, string target, Func<double, bool>? meets)
        {
            string shown = value is double v ? v.ToString("0.000", CultureInfo.InvariantCulture) + unit : "not measured";
            // A quick run checks that the benchmarks work; its short measurements are not held to the targets.
            string verdict = value is double x && meets is not null && r.Mode != "quick" ? (meets(x) ? "ok" : "MISSED") : "";
            rows.Add((name, shown, target, verdict));
        }
        Add("hook_compiled_over_handwritten", r.HookCompiledOverHandwritten, "x", "<= 1.25x (geomean)", v => v <= 1.25);
        Add("hook_interpreted_over_compiled", r.HookInterpretedOverCompiled, "x", ">= 10x (geomean)", v => v >= 10);
        Add("hook_compiled_over_handwritten_paired", r.HookCompiledOverHandwrittenPaired, "x", "<= 1.25x (geomean)", v => v <= 1.25);
        Add("hook_compiled_worst_over_handwritten_paired", r.HookCompiledWorstOverHandwrittenPaired, "x", "<= 1.25x (every hook)", v => v <= 1.25);
        Add("hook_interpreted_over_compiled_paired", r.HookInterpretedOverCompiledPaired, "x", ">= 10x (geomean)", v => v >= 10);
        Add("hook_interpreted_least_over_compiled_paired", r.HookInterpretedLeastOverCompiledPaired, "x", ">= 10x (every hook)", v => v >= 10);
        Add("hook_collectible_over_default_context", r.HookCollectibleOverDefaultContext, "x", "(information)", null);
        Add("hook_compiled_over_handwritten_lambda", r.HookCompiledOverHandwrittenLambda, "x", "(information)", null);
        Add("build_cold_s", r.BuildColdS, " s", "<= 2.5 s", v => v <= 2.5);
        Add("build_warm_s", r.BuildWarmS, " s", "<= 0.3 s", v => v <= 0.3);
        Add("build_host_floor_s", r.BuildHostFloorS, " s", "(policyc --version)", null);
        Add("seed_wall_s", r.SeedWallS, " s", "<= 30 s", v => v <= 30);
        Add("seed_peak_rss_mb", r.SeedPeakRssMb, " MB", "<= 3072 MB", v => v <= 3072);
        Add("scaling_time_2x", r.ScalingTime2x, "x", "<= 2.2x", v => v <= 2.2);
        Add("scaling_time_4x", r.ScalingTime4x, "x", "<= 4.84x (2.2 per doubling)", v => v <= 2.2 * 2.2);
        Add("scaling_memory_2x", r.ScalingMemory2x, "x", "<= 2.2x", v => v <= 2.2);
        Add("scaling_memory_4x", r.ScalingMemory4x, "x", "<= 4.84x", v => v <= 2.2 * 2.2);

        int w0 = rows.Max(x => x.Name.Length), w1 = rows.Max(x => x.Value.Length), w2 = rows.Max(x => x.Target.Length);
        var lines = new List<string>
        {
            $"{"measure".PadRight(w0)}  {"value".PadLeft(w1)}  {"target".PadRight(w2)}",
            new string('-', w0 + w1 + w2 + 12),
        };
        lines.AddRange(rows.Select(x => $"{x.Name.PadRight(w0)}  {x.Value.PadLeft(w1)}  {x.Target.PadRight(w2)}  {x.Verdict}".TrimEnd()));
        if (r.Hooks is { Count: > 0 } hooks)
        {
            int wh = hooks.Max(h => h.Hook.Length);
            lines.Add("");
            lines.Add($"{"hook (ns per call, medians)".PadRight(wh)}  {"hand",7}  {"compiled",8}  {"default",7}  {"interp",8}  {"lambda",7}  {"c/h",6}  {"i/c",7}  {"c/h pair",8}  {"i/c pair",8}");
            foreach (var h in hooks)
                lines.Add(string.Create(CultureInfo.InvariantCulture,
                    $"{h.Hook.PadRight(wh)}  {h.HandwrittenNs,7:0.00}  {h.CompiledNs,8:0.00}  {h.CompiledDefaultContextNs,7:0.00}  {h.InterpretedNs,8:0.0}  {h.HandwrittenLambdaNs,7:0.00}  {h.CompiledOverHandwritten,6:0.00}  {h.InterpretedOverCompiled,7:0.0}  {h.PairedCompiledOverHandwritten,8:0.00}  {h.PairedInterpretedOverCompiled,8:0.0}"));
        }
        return string.Join('\n', lines) + "\n";
    }
}
