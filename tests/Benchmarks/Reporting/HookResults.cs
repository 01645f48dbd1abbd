namespace Policyc.Benchmarks.Reporting;

/// <summary>Median time per call of one rule, five ways.</summary>
public sealed record HookRow
{
    public required string Hook { get; init; }
    public required double HandwrittenNs { get; init; }
    public required double CompiledNs { get; init; }
    public required double CompiledDefaultContextNs { get; init; }
    public required double InterpretedNs { get; init; }
    public required double HandwrittenLambdaNs { get; init; }
    /// <summary>Medians of ratios from interleaved rounds (see PairedMeasurement): robust to load from other processes.</summary>
    public required double PairedCompiledOverHandwritten { get; init; }
    public required double PairedInterpretedOverCompiled { get; init; }

    public double CompiledOverHandwritten => Ratio(CompiledNs, HandwrittenNs);
    public double InterpretedOverCompiled => Ratio(InterpretedNs, CompiledNs);
    public double CompiledOverDefaultContext => Ratio(CompiledNs, CompiledDefaultContextNs);
    public double CompiledOverLambda => Ratio(CompiledNs, HandwrittenLambdaNs);

    static double Ratio(double a, double b) => Math.Round(a / b, 3);
}

/// <summary>The hook benchmark's rows and their geometric means (the right mean for ratios).</summary>
public sealed record HookResults(IReadOnlyList<HookRow> Rows)
{
    public double CompiledOverHandwritten => GeometricMean(Rows.Select(r => r.CompiledOverHandwritten));
    public double InterpretedOverCompiled => GeometricMean(Rows.Select(r => r.InterpretedOverCompiled));
    public double CompiledOverDefaultContext => GeometricMean(Rows.Select(r => r.CompiledOverDefaultContext));
    public double CompiledOverLambda => GeometricMean(Rows.Select(r => r.CompiledOverLambda));
    public double PairedCompiledOverHandwritten => GeometricMean(Rows.Select(r => r.PairedCompiledOverHandwritten));
    public double PairedInterpretedOverCompiled => GeometricMean(Rows.Select(r => r.PairedInterpretedOverCompiled));
    public double PairedWorstCompiledOverHandwritten => Rows.Max(r => r.PairedCompiledOverHandwritten);
    public double PairedLeastInterpretedOverCompiled => Rows.Min(r => r.PairedInterpretedOverCompiled);

    public static double GeometricMean(IEnumerable<double> ratios)
    {
        var list = ratios.ToList();
        return Math.Round(Math.Exp(list.Sum(Math.Log) / list.Count), 3);
    }
}
