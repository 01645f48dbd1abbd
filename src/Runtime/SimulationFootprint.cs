using Policyc.Runtime.Scenarios;

namespace Policyc.Runtime;

/// <summary>
/// How much host memory one simulation of a scenario takes, estimated from the arrays the machine
/// allocates up front, so that a command running several at once can tell how many fit. The seed
/// (16 GiB, 50M files) peaks near 1.9 GiB: run the estimate past a changed data structure against
/// <c>/usr/bin/time -v</c> (docs/performance.md has the measured figures).
/// </summary>
public static class SimulationFootprint
{
    /// <summary>
    /// Per page frame: <c>PageFrames</c>' order, list links, owner and swap slot (17 bytes), with room
    /// for the LRU and buddy bookkeeping around them.
    /// </summary>
    public const long BytesPerPageFrame = 20;

    /// <summary>
    /// Per file of the tree: <c>XfsMount</c>'s cache state, slab slots, unlink checkpoint and the inode
    /// and dentry LRU links (34 bytes), and the optional per-file arrays of the fidelity switches.
    /// </summary>
    public const long BytesPerFile = 40;

    /// <summary>Samples, events, slab caches and the scheduler: what a run holds besides its arrays.</summary>
    public const long BytesPerRun = 32L << 20;

    /// <summary>
    /// The estimate for one run of <paramref name="scenario"/>, in bytes: on the built-in scenarios at
    /// least what the run adds to the process (the seed: 2.1 GB estimated, 1.9 GiB peak for the whole process).
    /// </summary>
    public static long EstimatedBytes(Scenario scenario) =>
        BytesPerRun + scenario.MemBytes / 4096 * BytesPerPageFrame + scenario.Files * BytesPerFile;
}
