using Policyc.Runtime.Vmscan;

namespace Policyc.Runtime.Tests;

/// <summary>A shrinker over a plain count of objects: frees what it is asked to, up to what it has.</summary>
sealed class CountingShrinker(long objects) : IShrinker
{
    public long Objects = objects;
    public string Name => "sb-test";
    public long CountObjects(int nid) => Objects;
    public long ScanObjects(long nrToScan, int nid)
    {
        long freed = Math.Min(nrToScan, Objects);
        Objects -= freed;
        return freed;
    }
}
