using CsCheck;
using Policyc.Robustness.Tests.Support;
using Policyc.Runtime;
using Policyc.Runtime.Scenarios;

namespace Policyc.Robustness.Tests.Runtime;

/// <summary>
/// Any scenario the validation accepts must run: machines from one CPU to sixteen, one node to eight,
/// a single file or a hundred thousand, no swap or a tiny device, every fidelity switch, swap-ins,
/// readahead and an early drop_caches, in combinations nobody wrote by hand. Each ends in a verdict,
/// and one in four checks the machine's invariants at every sample.
/// </summary>
public sealed class ScenarioFuzzTests
{
    const int Scenarios = 16;
    const int CheckInvariantsEvery = 4;

    static readonly (string Key, string[] Values)[] Fields =
    [
        ("mem", ["64M", "128M", "256M", "512M", "1G"]),
        ("swap", ["0", "40k", "1M", "16M", "64M"]),
        ("cpus", ["1", "2", "4", "16"]),
        ("nodes", ["1", "2", "4", "8"]),
        ("dma32", ["16M", "64M", "3584M"]),
        ("workers", ["1", "2", "4", "16"]),
        ("files", ["1", "16", "1000", "20k", "100k"]),
        ("files-per-dir", ["1", "10", "100000"]),
        ("ag-count", ["1", "4", "1024"]),
        ("dir-block", ["4k", "8k", "64k"]),
        ("dirent-bytes", ["16", "56", "272"]),
        ("swappiness", ["0", "60", "100"]),
        ("page-cluster", ["0", "3", "8"]),
        ("min-free", ["128K", "8M"]),
        ("other-anon", ["0", "32M"]),
        ("memory-hog", ["0", "128M"]),
        ("swap-in-rate", ["0", "20"]),
        ("swap-write-latency", ["0", "10ms"]),
        ("rcu-grace-period", ["0", "10ms"]),
        ("drop-caches-at", ["none", "1s"]),
        ("drop-caches-mode", ["1", "2", "3"]),
        ("cil-space-limit", ["64k", "8M"]),
        ("fair-zone-policy", ["on", "off"]),
        ("lv-exact-reuse", ["on", "off"]),
        ("slub-cpu-slabs", ["on", "off"]),
        ("slub-cpu-partial", ["on", "off"]),
        ("pcp-lists", ["on", "off"]),
        ("lv-format-size", ["on", "off"]),
        ("xfs-stale-inodes", ["on", "off"]),
        ("xfs-buffer-cache", ["on", "off"]),
        ("xfs-dir-buffers", ["on", "off"]),
        ("setup-writeback", ["on", "off"]),
        ("migrate-reserve", ["on", "off"]),
        ("buddy-tail-merge", ["on", "off"]),
        ("double-slab-pressure", ["on", "off"]),
        ("swap-scan-twice", ["on", "off"]),
        ("swap-scan-unlocked", ["on", "off"]),
        ("swap-cache-faults", ["on", "off"]),
        ("swapin-inactive", ["on", "off"]),
        ("xfs-dirty-map-until-writeback", ["on", "off"]),
        ("slub-partial-order", ["on", "off"]),
        ("xfs-reclaim-ag-batch", ["on", "off"]),
        ("kswapd-nap-wakeup", ["on", "off"]),
        ("age-active-anon", ["on", "off"]),
        ("kswapd-compact-pgdat", ["on", "off"]),
        ("reclaim-compaction-loop", ["on", "off"]),
        ("vfs-lazy-lru", ["on", "off"]),
        ("vfs-rmdir", ["on", "off"]),
        ("xfs-leaf-logging", ["on", "off"]),
        ("xfs-log-force", ["on", "off"]),
        ("kswapd-lowmem-reserve", ["on", "off"]),
    ];

    static readonly Gen<(string Key, string Value)[]> Overrides =
        Gen.Int[0, Fields.Length - 1].SelectMany(i => Gen.OneOf(Fields[i].Values).Select(v => (Fields[i].Key, v))).Array[2, 10];

    static string Describe((string Key, string Value)[] overrides) => string.Join(" ", overrides.Select(o => $"--set {o.Key}={o.Value}"));

    [Fact]
    public void Every_valid_scenario_runs_to_a_verdict_with_the_invariants_holding()
    {
        var table = Runs.Load(Repository.Linux313, interpret: true);
        int ran = 0;
        Overrides.Sample(overrides =>
        {
            var scenario = BuiltinScenarios.Small.WithOverride("duration", "3s").WithOverride("setup-limit", "60s");
            foreach (var (key, value) in overrides)
                scenario = scenario.WithOverride(key, value);
            if (scenario.Problems().Count > 0)
                return; // refused before running, as policyc does: the validation's own tests cover the message
            bool check = ran % CheckInvariantsEvery == 0;
            var report = Simulation.Run(table, scenario, new RunOptions { CheckInvariants = check, SampleIntervalS = check ? 5 : 1, EventBudget = 200_000 });
            Assert.Contains(report.Verdict, (string[])["livelock", "completed", "timeout", "oom"]);
            Assert.InRange(report.Progress.FilesRemoved, 0, scenario.Files);
            ran++;
        }, iter: Scenarios, threads: 1, print: Describe);
        Assert.InRange(ran, Scenarios / 4, Scenarios);
    }
}
