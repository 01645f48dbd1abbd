namespace Policyc.Benchmarks.Processes;

public static class Statistics
{
    /// <summary>The median: on a shared machine one slow run says little, the middle one says more.</summary>
    public static double Median(IEnumerable<double> values)
    {
        var sorted = values.Order().ToArray();
        if (sorted.Length == 0)
            return double.NaN;
        int mid = sorted.Length / 2;
        return Math.Round(sorted.Length % 2 == 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2, 3);
    }
}
