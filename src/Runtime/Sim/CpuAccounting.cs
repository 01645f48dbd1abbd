namespace Policyc.Runtime.Sim;

/// <summary>
/// CPU time charged per kernel function, cumulative since boot. A snapshot over a window is the
/// difference of two copies, so nothing is allocated while the machine runs.
/// </summary>
public sealed class CpuAccounting
{
    readonly long[] ns = new long[Symbols.Count];

    /// <summary>CPU time of the step the running task is executing; the scheduler reads and clears it.</summary>
    public long StepNs;

    public void Charge(Symbol symbol, long cost)
    {
        ns[(int)symbol] += cost;
        StepNs += cost;
    }

    public long[] Copy() => (long[])ns.Clone();

    public long Total
    {
        get
        {
            long t = 0;
            foreach (var v in ns)
                t += v;
            return t;
        }
    }
}
