using System.Diagnostics;

namespace Policyc.Benchmarks.Hooks;

/// <summary>
/// A cross-check of BenchmarkDotNet's figures that holds up on a busy shared machine. BenchmarkDotNet
/// times one implementation for a few seconds, then the next, so a burst of load from another process
/// lands on one side of a ratio. Here the implementations take turns every fraction of a millisecond
/// (in a rotating order), each round gives a ratio, and the median round is kept: load that comes and
/// goes hits both sides of a ratio alike.
/// </summary>
public static class PairedMeasurement
{
    public sealed record Ratios(double CompiledOverHandwritten, double InterpretedOverCompiled);

    public static Ratios Run(HookVariants v, int rounds)
    {
        var loops = v.All.Select(x => x.Loop).ToArray();
        int hand = 0, compiled = 1, interpreted = 3;
        // Passes per turn, so a turn lasts ~0.2 ms: long next to the timer, short next to load bursts.
        var passes = loops.Select(loop => PassesFor(loop, v)).ToArray();
        var compiledOverHand = new double[rounds];
        var interpretedOverCompiled = new double[rounds];
        var perCall = new double[loops.Length];
        long sink = 0;
        for (int r = 0; r < rounds; r++)
        {
            for (int k = 0; k < loops.Length; k++)
            {
                int i = (k + r) % loops.Length;
                long start = Stopwatch.GetTimestamp();
                for (int p = 0; p < passes[i]; p++)
                    sink += loops[i].Run(v.Contexts);
                perCall[i] = Stopwatch.GetElapsedTime(start).TotalNanoseconds / passes[i];
            }
            compiledOverHand[r] = perCall[compiled] / perCall[hand];
            interpretedOverCompiled[r] = perCall[interpreted] / perCall[compiled];
        }
        GC.KeepAlive(sink);
        return new Ratios(Median(compiledOverHand), Median(interpretedOverCompiled));
    }

    static int PassesFor(HookLoop loop, HookVariants v)
    {
        long start = Stopwatch.GetTimestamp();
        loop.Run(v.Contexts);
        double pass = Math.Max(1, Stopwatch.GetElapsedTime(start).TotalNanoseconds);
        return (int)Math.Clamp(200_000 / pass, 1, 1000);
    }

    static double Median(double[] values)
    {
        var sorted = values.Order().ToArray();
        return Math.Round(sorted[sorted.Length / 2], 3);
    }
}
