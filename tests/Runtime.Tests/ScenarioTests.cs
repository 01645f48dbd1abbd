using Policyc.Runtime.Scenarios;
using Policyc.Runtime.Tests.Policies;

namespace Policyc.Runtime.Tests;

public class ScenarioTests
{
    [Fact]
    public void The_seed_scenario_is_the_reported_machine()
    {
        var seed = BuiltinScenarios.Get("seed");
        Assert.Equal(16424296L * 1024, seed.MemBytes);
        Assert.Equal(497976L * 1024, seed.SwapBytes);
        Assert.Equal(64 * 1024, seed.DirBlockBytes);
        Assert.Equal(3600_000_000_000, seed.DropCachesAt);
        Assert.Equal(["seed", "small", "seed-minimal"], BuiltinScenarios.Names);
        seed.Validate();
        BuiltinScenarios.Small.Validate();
        BuiltinScenarios.SeedMinimal.Validate();
    }

    [Fact]
    public void The_seed_has_the_seven_faithful_mechanisms_and_the_reporters_tree()
    {
        var seed = BuiltinScenarios.Seed;
        Assert.True(seed.XfsStaleInodes && seed.XfsLogForce && seed.KswapdLowmemReserve && seed.LvExactReuse && seed.FairZonePolicy && seed.VfsRmdir && seed.KswapdLoop);
        Assert.Equal((50_000_000L, 3_125_000L, 1000L << 20, 1024L, 7UL), (seed.Files, seed.FilesPerDirectory, seed.OtherAnonBytes, seed.SwapInChurnPages, seed.Seed));
        // The minimal seed is the same machine with the simplifications, and small is its shape at 1/32.
        var minimal = BuiltinScenarios.SeedMinimal;
        Assert.False(minimal.XfsStaleInodes || minimal.XfsLogForce || minimal.KswapdLowmemReserve || minimal.LvExactReuse || minimal.FairZonePolicy || minimal.VfsRmdir || minimal.KswapdLoop);
        Assert.Equal((seed.MemBytes, seed.SwapBytes, seed.Cpus), (minimal.MemBytes, minimal.SwapBytes, minimal.Cpus));
        Assert.Equal((11_000_000L, 100_000L), (minimal.Files, minimal.FilesPerDirectory));
        Assert.False(BuiltinScenarios.Small.XfsLogForce || BuiltinScenarios.Small.VfsRmdir || BuiltinScenarios.Small.FairZonePolicy || BuiltinScenarios.Small.KswapdLoop);
    }

    [Theory]
    [InlineData("mem", "4G", nameof(Scenario.MemBytes), 4L << 30)]
    [InlineData("swap", "128M", nameof(Scenario.SwapBytes), 128L << 20)]
    [InlineData("dir-block", "64k", nameof(Scenario.DirBlockBytes), 65536L)]
    [InlineData("files", "2M", nameof(Scenario.Files), 2_000_000L)]
    [InlineData("drop-caches-at", "3600s", nameof(Scenario.DropCachesAt), 3_600_000_000_000L)]
    [InlineData("duration", "2h", nameof(Scenario.Duration), 7_200_000_000_000L)]
    [InlineData("livelock-window", "20ms", nameof(Scenario.LivelockWindow), 20_000_000L)]
    [InlineData("seed", "7", nameof(Scenario.Seed), 7UL)]
    [InlineData("cpus", "8", nameof(Scenario.Cpus), 8)]
    [InlineData("nodes", "4", nameof(Scenario.Nodes), 4)]
    [InlineData("swap-in-rate", "20", nameof(Scenario.SwapInPerSecond), 20)]
    [InlineData("page-cluster", "3", nameof(Scenario.PageCluster), 3)]
    [InlineData("swap-in-cpu", "3", nameof(Scenario.SwapInCpu), 3)]
    [InlineData("swap-write-latency", "10ms", nameof(Scenario.SwapWriteLatency), 10_000_000L)]
    [InlineData("session-at", "600s", nameof(Scenario.SessionAt), 600_000_000_000L)]
    [InlineData("session-cpu", "2", nameof(Scenario.SessionCpu), 2)]
    [InlineData("session-swap-ins", "2k", nameof(Scenario.SessionSwapIns), 2000L)]
    [InlineData("session-anon", "64M", nameof(Scenario.SessionAnonBytes), 64L << 20)]
    public void Overrides_parse_sizes_durations_and_counts(string key, string value, string property, object expected)
    {
        var s = BuiltinScenarios.Small.WithOverride(key, value);
        var actual = typeof(Scenario).GetProperty(property)!.GetValue(s);
        Assert.Equal(Convert.ToString(expected, System.Globalization.CultureInfo.InvariantCulture),
                     Convert.ToString(actual, System.Globalization.CultureInfo.InvariantCulture));
    }

    [Fact]
    public void Drop_caches_can_be_switched_off()
    {
        Assert.Null(BuiltinScenarios.Seed.WithOverride("drop-caches-at", "none").DropCachesAt);
    }

    [Theory]
    [InlineData("mem", "lots", "mem: 'lots' is not a size")]
    [InlineData("speed", "1", "unknown scenario field 'speed'")]
    [InlineData("duration", "5 parsecs", "duration: '5 parsecs' is not a duration")]
    [InlineData("duration", "100000000h", "duration: '100000000h' is too large")]
    [InlineData("duration", "1.5ns", "duration: '1.5ns' is not a whole number of nanoseconds")]
    [InlineData("duration", "1.2.3s", "duration: '1.2.3s' is not a duration")]
    [InlineData("seed", "99999999999999999999999999999999999", "seed: '99999999999999999999999999999999999' is too large")]
    [InlineData("mem", "0.5", "mem: '0.5' is not a whole number of bytes")]
    [InlineData("cpus", "9999999999", "cpus: '9999999999' is too large")]
    [InlineData("drop-caches-at", "", "drop-caches-at: '' is not a duration (like 3600s, 2h, 20ms) or none")]
    public void Bad_overrides_name_the_field(string key, string value, string message)
    {
        var e = Assert.Throws<ScenarioException>(() => BuiltinScenarios.Small.WithOverride(key, value));
        Assert.Contains(message, e.Message);
    }

    [Theory]
    [InlineData("swapiness", "unknown scenario field 'swapiness'; did you mean 'swappiness'?")]
    [InlineData("xfs_log_forces", "unknown scenario field 'xfs_log_forces'; did you mean 'xfs-log-force'?")]
    [InlineData("nodes_count", "unknown scenario field 'nodes_count'; did you mean 'nodes'?")] // its words hold a field's
    [InlineData("velocity", "(known: name, mem, swap,")]
    public void An_unknown_field_gets_the_closest_name_or_the_whole_list(string key, string message)
    {
        var e = Assert.Throws<ScenarioException>(() => BuiltinScenarios.Small.WithOverride(key, "1"));
        Assert.Contains(message, e.Message);
    }

    [Theory]
    [InlineData("smal", "unknown scenario 'smal'; did you mean 'small'? (built-in: seed, small, seed-minimal;")]
    [InlineData("huge", "unknown scenario 'huge' (built-in: seed, small, seed-minimal;")]
    public void An_unknown_builtin_scenario_gets_the_closest_name(string name, string message)
    {
        var e = Assert.Throws<ScenarioException>(() => BuiltinScenarios.Get(name));
        Assert.Contains(message, e.Message);
    }

    [Theory]
    [InlineData("mem", "1M", "mem: 1M is below the 64M minimum")]
    [InlineData("cpus", "0", "cpus: 0 is not between 1 and 1024")]
    [InlineData("dir-block", "48k", "dir-block: 48K is not a power of two")]
    [InlineData("workers", "0", "workers")]
    [InlineData("ag-count", "0", "ag-count: must be from 1 to 1024")]
    [InlineData("page-cluster", "9", "page-cluster: must be 0 to 8")]
    [InlineData("swap-in-cpu", "4", "swap-in-cpu: 4 is not a CPU of the machine (0 to 3)")]
    [InlineData("rcu-grace-period", "11s", "rcu-grace-period: must be 0 to 10s")]
    [InlineData("session-cpu", "4", "session-cpu: 4 is not a CPU of the machine (0 to 3)")]
    [InlineData("session-anon", "1G", "session-anon: 1G must be between 0 and mem (512M)")]
    [InlineData("slub-cpu-partial", "on", "slub-cpu-partial: SLUB's per-CPU partial lists need slub-cpu-slabs and slub-partial-order on as well")]
    public void Impossible_values_are_rejected_before_anything_runs(string key, string value, string message)
    {
        var s = BuiltinScenarios.Small.WithOverride(key, value);
        var e = Assert.Throws<ScenarioException>(() => s.Validate());
        Assert.Contains(message, e.Message);
        Assert.Throws<ScenarioException>(() => Simulation.Run(Policies.Linux313Handwritten.Build(), s, new RunOptions()));
    }

    [Theory]
    [InlineData("cpus", "0", "cpus: 0 is not between 1 and 1024")]
    [InlineData("files", "0", "files: 0 is not between 1 and 200M")]
    [InlineData("nodes", "0", "nodes: 0 is not between 1 and 8")]
    [InlineData("swap", "8000000T", "swap: must be between 0 and 64G")]
    [InlineData("mem", "9223372036854775807", "mem: 9223372036854775807 bytes is above the 256G the page-frame arrays are sized for")]
    [InlineData("name", "a\nb", "name: must not hold control characters (a newline, a tab)")]
    public void A_value_out_of_its_range_is_one_problem_not_also_a_broken_limit_between_fields(string key, string value, string problem)
    {
        // cpus=0 also breaks "a CPU for every node", files=0 "a file for every worker": those limits
        // are only checked between values that are each in range. Likewise mem + swap, which limits
        // other-anon and memory-hog, is not added from sizes out of range (it would overflow).
        var (field, message) = Assert.Single(BuiltinScenarios.Small.WithOverride(key, value).Problems());
        Assert.Equal(problem, $"{field}: {message}");
    }

    [Theory]
    [InlineData("slub-cpu-slabs", "slub-partial-order")]
    [InlineData("slub-partial-order", "slub-cpu-slabs")]
    public void Per_cpu_partial_lists_name_the_one_switch_they_still_need(string on, string missing)
    {
        var s = BuiltinScenarios.Small.WithOverride("slub-cpu-partial", "on").WithOverride(on, "on");
        var (field, message) = Assert.Single(s.Problems());
        Assert.Equal($"slub-cpu-partial: SLUB's per-CPU partial lists need {missing} on as well", $"{field}: {message}");
        Assert.Empty(s.WithOverride(missing, "on").Problems());
    }

    [Fact]
    public void A_limit_between_two_fields_counts_its_nouns()
    {
        var s = BuiltinScenarios.Small with { Cpus = 1, Nodes = 2, Workers = 2, Files = 1 };
        Assert.Equal(
            ["workers: 2 workers for 1 file: each rm -rf worker needs at least one file",
             "nodes: 2 nodes for 1 CPU: every node needs a CPU (CPUs are dealt to nodes round robin)"],
            s.Problems().Select(p => $"{p.Field}: {p.Message}"));
    }

    [Fact]
    public void A_json_scenario_file_starts_from_its_base_and_errors_carry_positions()
    {
        var dir = Directory.CreateTempSubdirectory();
        try
        {
            var good = Path.Combine(dir.FullName, "mine.json");
            File.WriteAllText(good, "{\n  \"base\": \"seed\",\n  \"mem\": \"8G\",\n  \"workers\": 8\n}\n");
            var s = ScenarioReader.Load(good);
            Assert.Equal("mine", s.Name);
            Assert.Equal(8L << 30, s.MemBytes);
            Assert.Equal(8, s.Workers);
            Assert.Equal(BuiltinScenarios.Seed.SwapBytes, s.SwapBytes);

            var bad = Path.Combine(dir.FullName, "bad.json");
            File.WriteAllText(bad, "{\n  \"mem\": \"4G\",\n  \"swap\": \"much\"\n}\n");
            var e = Assert.Throws<ScenarioException>(() => ScenarioReader.Load(bad));
            Assert.StartsWith($"{bad}(3,3): swap:", e.Message);
        }
        finally
        {
            dir.Delete(true);
        }
    }

    [Fact]
    public void An_impossible_scenario_file_is_refused_at_the_lines_that_set_the_broken_fields()
    {
        var (path, e) = LoadFails("tiny.toml", "base = \"small\"\n\nfiles = \"2\"\ncost-unlink = \"0ns\"\nnodes = 0\n");
        Assert.Equal(
            "scenario 'tiny' is impossible: "
            + $"{path}: workers: 4 workers for 2 files: each rm -rf worker needs at least one file; "
            + $"{path}(5,1): nodes: 0 is not between 1 and 8; "
            + $"{path}(4,1): cost-*: costs must not be negative, and cost-unlink and cost-create must be positive",
            e.Message);
    }

    /// <summary>Writes <paramref name="text"/> as a scenario file named <paramref name="name"/> and loads it, which must fail.</summary>
    static (string Path, ScenarioException Error) LoadFails(string name, string text)
    {
        var dir = Directory.CreateTempSubdirectory();
        try
        {
            var path = Path.Combine(dir.FullName, name);
            File.WriteAllText(path, text);
            return (path, Assert.Throws<ScenarioException>(() => ScenarioReader.Load(path)));
        }
        finally
        {
            dir.Delete(true);
        }
    }

    [Theory]
    [InlineData("dup.toml", "base = \"small\"\nmem = \"1G\"\nmem = \"2G\"\n", "(3,1): 'mem' is given twice (first at line 2)")]
    [InlineData("dup.toml", "drop_caches_at = \"1s\"\ndrop-caches-at = \"2s\"\n", "(2,1): 'drop-caches-at' is given twice (first at line 1)")]
    [InlineData("dup.json", "{\"mem\": \"1G\",\n \"mem\": \"2G\"}", "(2,2): 'mem' is given twice (first at line 1)")]
    [InlineData("chain.toml", "base = \"other.toml\"\n", "(1,1): a base is a built-in scenario (seed, small, seed-minimal), not a file")]
    public void A_key_given_twice_or_a_file_as_base_is_refused_at_its_line(string name, string text, string message)
    {
        // A repeated key used to be taken silently (the first base, the last of anything else).
        var (path, e) = LoadFails(name, text);
        Assert.Equal(path + message, e.Message);
    }

    [Theory]
    [InlineData("{\"base\": \"small\", \"mem\": \"\\ud800\"}", "(1,26): invalid JSON: a string escapes half of a surrogate pair")]
    [InlineData("{\"base\": \"small\", \"\\udc00x\": \"1G\"}", "(1,19): invalid JSON: a string escapes half of a surrogate pair")]
    [InlineData("{\"base\": \"small\", \"mem\": \"1G\"}\n{\"mem\": \"2G\"}\n", "(2,1): invalid JSON: '{' is invalid after a single JSON value")]
    public void JSON_that_is_no_text_or_more_than_one_object_is_refused_at_its_place(string text, string message)
    {
        // An escaped lone surrogate threw InvalidOperationException out of the reader (exit 70), and a
        // second object after the first was silently ignored.
        var (path, e) = LoadFails("s.json", text);
        Assert.StartsWith(path + message, e.Message);
    }

    [Fact]
    public void A_limit_that_depends_on_other_fields_gives_both_values()
    {
        // "--mem 64M" on small used to say only "memory-hog: must be between 0 and four times mem + swap".
        var problems = (BuiltinScenarios.Get("small") with { MemBytes = 64L << 20, SwapBytes = 16L << 20 }).Problems();
        Assert.Contains(("memory-hog", "1G must be between 0 and four times mem + swap (320M)"), problems);
    }

    [Fact]
    public void A_scenario_records_its_base_and_every_field_set_on_it_in_order()
    {
        Assert.Equal("seed", BuiltinScenarios.Seed.Base);
        Assert.Empty(BuiltinScenarios.Seed.Settings);

        var s = BuiltinScenarios.Small.WithOverride("Drop_Caches_At", " 10s ").WithOverride("name", "mine").WithOverride("cpus", "2");
        Assert.Equal(("small", "mine"), (s.Base, s.Name));
        Assert.Equal(["drop-caches-at=10s", "cpus=2"], s.Settings);   // keys as the table spells them; the name is no setting
        Assert.Empty(BuiltinScenarios.Small.Settings);                 // the built-in itself is untouched
        Assert.Throws<ScenarioException>(() => s.WithOverride("cpus", "many"));
        Assert.Equal(["drop-caches-at=10s", "cpus=2"], s.Settings);
        // A field set again is recorded once, last, with the value that counts.
        var again = s.WithOverride("drop_caches_at", "20s");
        Assert.Equal(["cpus=2", "drop-caches-at=20s"], again.Settings);
        Assert.Equal(20_000_000_000L, again.DropCachesAt);

        var dir = Directory.CreateTempSubdirectory();
        try
        {
            var path = Path.Combine(dir.FullName, "mine.toml");
            File.WriteAllText(path, "kswapd-nap-wakeup = \"on\"\nbase = \"seed\"\nmem = \"8G\"\n");
            var f = ScenarioReader.Load(path);
            Assert.Equal(("seed", "mine"), (f.Base, f.Name));
            Assert.Equal(["kswapd-nap-wakeup=on", "mem=8G"], f.Settings);
        }
        finally
        {
            dir.Delete(true);
        }

        // The run's report carries them.
        var report = Simulation.Run(Linux313Handwritten.Build(), s.WithOverride("duration", "1s"), new RunOptions());
        Assert.Equal("small", report.ScenarioBase);
        Assert.Equal(["drop-caches-at=10s", "cpus=2", "duration=1s"], report.ScenarioSettings);
    }

    [Fact]
    public void A_toml_scenario_file_reads_the_same_keys()
    {
        var dir = Directory.CreateTempSubdirectory();
        try
        {
            var path = Path.Combine(dir.FullName, "mine.toml");
            File.WriteAllText(path, "# a smaller seed\nbase = \"seed\"\nmem = \"8G\"\nfiles = \"2M\"\ndrop_caches_at = \"1800s\"\ncpus = 8\n");
            var s = ScenarioReader.Load(path);
            Assert.Equal(8L << 30, s.MemBytes);
            Assert.Equal(2_000_000, s.Files);
            Assert.Equal(1_800_000_000_000, s.DropCachesAt);
            Assert.Equal(8, s.Cpus);

            File.WriteAllText(path, "mem = \"8G\"\nworkers = \"many\"\n");
            var e = Assert.Throws<ScenarioException>(() => ScenarioReader.Load(path));
            Assert.StartsWith($"{path}(2,1): workers:", e.Message);

            File.WriteAllText(path, "mem = \"8G\"\n[machine]\ncpus = 8\n");
            e = Assert.Throws<ScenarioException>(() => ScenarioReader.Load(path));
            Assert.Equal($"{path}(2,1): a scenario file is a flat list of keys; tables are not used", e.Message);

            File.WriteAllText(path, "mem = \"8G\n");
            e = Assert.Throws<ScenarioException>(() => ScenarioReader.Load(path));
            Assert.Matches(@"\(1,\d+\): invalid TOML: ", e.Message);

            // Tomlyn refuses 64 levels of arrays or inline tables without a position; ours points at the 64th.
            File.WriteAllText(path, "mem = \"8G\"\nx = {a = " + string.Concat(Enumerable.Repeat("{a = ", 63)) + "1" + new string('}', 64) + "\n");
            e = Assert.Throws<ScenarioException>(() => ScenarioReader.Load(path));
            Assert.Equal($"{path}(2,320): invalid TOML: arrays or inline tables nested 64 deep or more", e.Message);
            File.WriteAllText(path, "# [[[[\nx = [\"[[[[\", 'x[[' , " + new string('[', 62) + new string(']', 63) + "\n");
            e = Assert.Throws<ScenarioException>(() => ScenarioReader.Load(path));
            Assert.DoesNotContain("nested", e.Message); // 63 levels, brackets in a comment and in strings not counted

            var missing = Path.Combine(dir.FullName, "none.toml");
            e = Assert.Throws<ScenarioException>(() => ScenarioReader.Load(missing));
            Assert.StartsWith($"{missing}: cannot read the scenario file: ", e.Message);
        }
        finally
        {
            dir.Delete(true);
        }
    }

    [Fact]
    public void The_example_scenario_files_read_and_validate()
    {
        string dir = AppContext.BaseDirectory;
        while (!File.Exists(Path.Combine(dir, "Policy.sln")))
            dir = Path.GetDirectoryName(dir) ?? throw new InvalidOperationException("repository root not found");
        var files = Directory.GetFiles(Path.Combine(dir, "examples", "scenarios"), "*.toml");
        Assert.NotEmpty(files);
        foreach (var file in files)
            ScenarioReader.Load(file).Validate();
        var faithful = ScenarioReader.Load(Path.Combine(dir, "examples", "scenarios", "faithful-50m.toml"));
        Assert.True(faithful.XfsStaleInodes && faithful.XfsLogForce && faithful.KswapdLowmemReserve && faithful.LvExactReuse && faithful.FairZonePolicy);
        Assert.Equal(50_000_000, faithful.Files);
        var fourNodes = ScenarioReader.Load(Path.Combine(dir, "examples", "scenarios", "seed-4nodes-log-force.toml"));
        Assert.Equal((4, true, 11_000_000L), (fourNodes.Nodes, fourNodes.XfsLogForce, fourNodes.Files));
        // The examples that build on the minimal seed keep its 100,000-file directories and its anon.
        Assert.Equal((100_000L, 3000L << 20), (faithful.FilesPerDirectory, faithful.OtherAnonBytes));
        Assert.False(fourNodes.VfsRmdir || fourNodes.FairZonePolicy);
        // seed as it ran before it took 3.13's kswapd loop: the simplified loop, on seed 7, and the
        // swap device of then, one slot smaller than the report's.
        var simple = ScenarioReader.Load(Path.Combine(dir, "examples", "scenarios", "seed-simple-kswapd.toml"));
        Assert.Equal(BuiltinScenarios.Seed with { Name = simple.Name, KswapdLoop = false, Seed = 7, SwapBytes = 497_972L << 10, Settings = simple.Settings }, simple);
        // The readahead and slow-AIL examples keep that device too, so their headers' commands repeat the draws they describe.
        foreach (var measuredThen in new[] { "seed-4nodes-readahead.toml", "seed-4nodes-slow-ail.toml" })
            Assert.Equal(497_972L << 10, ScenarioReader.Load(Path.Combine(dir, "examples", "scenarios", measuredThen)).SwapBytes);
        // seed itself on the reporter's four nodes, and nothing else changed.
        var onFourNodes = ScenarioReader.Load(Path.Combine(dir, "examples", "scenarios", "seed-on-4nodes.toml"));
        Assert.Equal(BuiltinScenarios.Seed with { Name = onFourNodes.Name, Nodes = 4, Dma32Bytes = 3584L << 20, Settings = onFourNodes.Settings },
            onFourNodes);
    }
}
