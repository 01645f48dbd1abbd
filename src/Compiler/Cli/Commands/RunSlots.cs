using Policyc.Runtime;
using Policyc.Runtime.Scenarios;

namespace Policyc.Cli.Commands;

/// <summary>
/// How many simulations <c>compare</c> and <c>sweep</c> run at once: one per core, unless the memory
/// available would not hold that many. A run of <c>seed</c> takes about 2 GB, so eight cores with
/// 16 GB would otherwise have the kernel's OOM killer end the whole command, and every run with it.
/// </summary>
public static class RunSlots
{
    /// <param name="runs">Runs to do.</param>
    /// <param name="largest">The scenario whose run needs the most memory.</param>
    /// <param name="jobs">What <c>--jobs</c> asked for, taken as given; null to choose.</param>
    /// <returns>The runs at once, and a line for standard error when memory, not the cores, set it (or --jobs overcommits).</returns>
    public static (int Slots, string? Note) For(int runs, Scenario largest, int? jobs) =>
        Choose(runs, Environment.ProcessorCount, AvailableBytes(), SimulationFootprint.EstimatedBytes(largest), largest.Name, jobs);

    /// <summary>The choice itself, from the machine's figures (<see cref="For"/> reads them).</summary>
    public static (int Slots, string? Note) Choose(int runs, int cores, long availableBytes, long perRunBytes, string scenario, int? jobs)
    {
        runs = Math.Max(1, runs);
        if (jobs is { } asked)
        {
            int slots = Math.Min(asked, runs);
            string? note = slots > 1 && slots * perRunBytes > availableBytes
                ? $"policyc: warning: --jobs {asked}: {slots} runs of '{scenario}' at once need about {Gigabytes(slots * perRunBytes)} of memory, and {Gigabytes(availableBytes)} is available"
                : null;
            return (slots, note);
        }
        int byCores = Math.Min(cores, runs);
        int byMemory = (int)Math.Clamp(availableBytes / perRunBytes, 1, int.MaxValue);
        if (byMemory >= byCores)
            return (byCores, null);
        return (byMemory,
            $"policyc: running {byMemory} at a time, not {byCores}: a run of '{scenario}' needs about {Gigabytes(perRunBytes)} of memory, " +
            $"and {Gigabytes(availableBytes)} is available (--jobs N chooses)");
    }

    /// <summary>
    /// Memory a new run may take: MemAvailable of /proc/meminfo, within what the runtime may use here
    /// (a container's limit) less what the process holds already.
    /// </summary>
    static long AvailableBytes()
    {
        long limit = GC.GetGCMemoryInfo().TotalAvailableMemoryBytes - Environment.WorkingSet;
        long? meminfo = MemAvailable();
        return Math.Max(0, meminfo is { } m ? Math.Min(m, limit) : limit);
    }

    static long? MemAvailable()
    {
        try
        {
            foreach (var line in File.ReadLines("/proc/meminfo"))
                if (line.StartsWith("MemAvailable:", StringComparison.Ordinal))
                {
                    var fields = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
                    return long.TryParse(fields[1], out long kib) ? kib * 1024 : null;
                }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
        }
        return null;
    }

    static string Gigabytes(long bytes) => $"{bytes / 1e9:0.0} GB";
}
