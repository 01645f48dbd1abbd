using System.Globalization;
using Policyc.Runtime.Reporting;

namespace Policyc.Compiler.Diffing;

/// <summary>The first sample at which two runs of the same scenario and seed differ, and how.</summary>
public sealed record RunDivergence(double AtS, IReadOnlyList<string> Differences)
{
    /// <summary>
    /// Compares the runs' time series sample by sample. Same seed and same scenario means the same
    /// machine and workload, so the first differing sample is where the policies' decisions first
    /// showed. Null when the series are identical.
    /// </summary>
    public static RunDivergence? Find(RunReport before, RunReport after)
    {
        int n = Math.Min(before.Series.Count, after.Series.Count);
        for (int i = 0; i < n; i++)
        {
            var a = before.Series[i];
            var b = after.Series[i];
            var differences = new List<string>();
            void Compare(string name, long x, long y, string unit)
            {
                if (x != y)
                    differences.Add($"{name} {Number(x)}{unit} vs {Number(y)}{unit}");
            }
            Compare("free", a.FreeKb, b.FreeKb, " kB");
            Compare("slab", a.SlabKb, b.SlabKb, " kB");
            Compare("swap used", a.SwapUsedKb, b.SwapUsedKb, " kB");
            Compare("cached", a.CachedKb, b.CachedKb, " kB");
            Compare("files removed", a.FilesRemoved, b.FilesRemoved, "");
            if (differences.Count > 0)
                return new RunDivergence(a.TimeS, differences);
        }
        if (before.Series.Count != after.Series.Count)
        {
            var shorter = before.Series.Count < after.Series.Count ? before : after;
            double at = shorter.Series.Count > 0 ? shorter.Series[^1].TimeS : 0;
            return new RunDivergence(at, [$"the run of {shorter.Policy} ended ({shorter.Verdict}) while the other went on"]);
        }
        return null;
    }

    static string Number(long value) => value.ToString("N0", CultureInfo.InvariantCulture);
}
