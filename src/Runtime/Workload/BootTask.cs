using Policyc.Runtime.Mm;
using Policyc.Runtime.Policy;

namespace Policyc.Runtime.Workload;

/// <summary>
/// Faulting memory in through the page allocator during set-up (so once memory is full, kswapd and
/// direct reclaim push anon to swap and drop cache as they would): at boot the other processes'
/// anon and their executables, later the page cache that ages the machine (a backup or updatedb
/// reading files). Both come in runs — a process touches a range of its heap, a file is read in
/// sequence — interleaved at random.
/// </summary>
internal sealed class BootTask(Kernel k, long anonBytes, long hotBytes, long cacheBytes, Action done) : Sim.SimTask("init")
{
    enum Kind { Anon, Hot, Cache }

    readonly long[] left =
    [
        anonBytes / PolicyTypes.PageSize,
        hotBytes / PolicyTypes.PageSize,
        cacheBytes / PolicyTypes.PageSize,
    ];
    Kind kind;
    long run;
    int process;
    AllocAttempt attempt;

    public override long Step(long now)
    {
        for (int n = 0; n < 256; n++)
        {
            if (run == 0 && !StartRun())
            {
                done();
                return Exited;
            }
            int r = kind switch
            {
                Kind.Anon => k.Processes.FaultAnon(process, ref attempt),
                Kind.Hot => k.Processes.ReadPageCache(hot: true, ref attempt),
                _ => k.Processes.ReadPageCache(hot: false, ref attempt),
            };
            if (r == PageAllocator.Wait)
                return attempt.WaitNs;
            if (r < 0)
                return 20_000_000;
            left[(int)kind]--;
            run--;
        }
        return 0;
    }

    /// <summary>Picks the next run: its kind in proportion to what is left, 16 to 1024 pages long.</summary>
    bool StartRun()
    {
        long total = left[0] + left[1] + left[2];
        if (total == 0)
            return false;
        long pick = k.Rng.Next(total);
        kind = pick < left[0] ? Kind.Anon : pick < left[0] + left[1] ? Kind.Hot : Kind.Cache;
        run = Math.Min(left[(int)kind], 16L << (int)k.Rng.Next(7));
        process = (int)k.Rng.Next(Processes.Count);
        return true;
    }
}
