using Microsoft.Data.Sqlite;
using Policyc.Compiler.Sweeping;
using Policyc.Compiler.Tests.Support;
using Policyc.Runtime.Scenarios;

namespace Policyc.Compiler.Tests.Sweeping;

public class SweepTests
{
    [Theory]
    [InlineData("1,2,3", new ulong[] { 1, 2, 3 })]
    [InlineData("1-3", new ulong[] { 1, 2, 3 })]
    [InlineData("7, 1-2, 7", new ulong[] { 7, 1, 2 })]
    public void Seeds_are_lists_and_ranges(string text, ulong[] expected) =>
        Assert.Equal(expected, SweepSpec.ParseSeeds(text));

    [Theory]
    [InlineData("")]
    [InlineData("3-1")]
    [InlineData("x")]
    public void Bad_seeds_are_errors(string text) =>
        Assert.Throws<SweepException>(() => SweepSpec.ParseSeeds(text));

    [Fact]
    public void Cells_have_stable_ids_and_shards_partition_them()
    {
        var spec = new SweepSpec("s", [Repository.Policies], ["small", "seed"], [1, 2, 3]);
        var cells = SweepPlan.Cells(spec);
        int policies = Repository.PolicyFiles().Count();
        Assert.Equal(policies * 2 * 3, cells.Count);
        Assert.Equal("fix-kswapd-deferred:small:1", cells[0].Id);
        Assert.DoesNotContain(cells, c => c.PolicyPath.EndsWith(".test.rpol", StringComparison.Ordinal));
        var shards = Enumerable.Range(1, 4).Select(i => cells.Where(new Shard(i, 4).Contains).ToArray()).ToArray();
        Assert.Equal(cells.Select(c => c.Id).Order(), shards.SelectMany(s => s).Select(c => c.Id).Order());
        Assert.All(shards, s => Assert.InRange(s.Length, cells.Count / 4, cells.Count / 4 + 1));
    }

    [Theory]
    [InlineData("0/2")]
    [InlineData("3/2")]
    [InlineData("1")]
    public void Bad_shards_are_errors(string text) => Assert.Throws<SweepException>(() => Shard.Parse(text));

    [Fact]
    public void A_sweep_file_names_policies_relative_to_itself()
    {
        using var dir = new TempPolicies();
        string path = dir.Write("sweeps/s.toml", "name = \"mine\"\npolicies = [\"../linux-3.13.rpol\"]\nscenarios = [\"small\"]\nseeds = \"1-2\"\nduration = \"30s\"\n");
        var spec = SweepFile.Load(path);
        Assert.Equal("mine", spec.Name);
        Assert.Equal(Path.GetFullPath(Path.Combine(dir.Directory, "linux-3.13.rpol")), Path.GetFullPath(Assert.Single(spec.Policies)));
        Assert.Equal([1UL, 2UL], spec.Seeds);
        Assert.Equal("30s", spec.Duration);
    }

    [Fact]
    public void A_sweep_files_settings_are_set_on_every_scenario_before_its_duration()
    {
        using var dir = new TempPolicies();
        string path = dir.Write("s.toml", "policies = [\"x.rpol\"]\nscenarios = [\"small\", \"seed-minimal\"]\n"
            + "settings = [\"nodes=2\", \"page-cluster = 3\"]\nduration = \"30s\"\n");
        dir.Write("x.rpol", "policy x extends linux-3.13 { }\n");
        var spec = SweepFile.Load(path);
        Assert.Equal([new ScenarioSetting("nodes", "2"), new ScenarioSetting("page-cluster", "3")], spec.Settings);

        var scenarios = SweepRunner.Scenarios(SweepPlan.Cells(spec), BuiltinScenarios.Get, spec.Duration, spec.Settings);
        Assert.All(scenarios.Values, s =>
        {
            Assert.Equal(["nodes=2", "page-cluster=3", "duration=30s"], s.Settings);
            Assert.Equal(2, s.Nodes);
            Assert.Equal(3, s.PageCluster);
        });
    }

    [Fact]
    public void The_example_sweep_file_runs_every_shipped_policy_with_three_seeds()
    {
        var spec = SweepFile.Load(Path.Combine(Repository.Root, "examples", "sweep", "shipped-small.toml"));
        var cells = SweepPlan.Cells(spec);
        Assert.Equal(Repository.PolicyFiles().Count() * 3, cells.Count);
        Assert.All(cells, c => Assert.Equal("small", c.Scenario));
    }

    [Fact]
    public void Merging_a_directory_or_a_missing_file_says_which()
    {
        using var dir = new TempPolicies();
        string directory = Path.GetDirectoryName(dir.Write("x.rpol", ""))!;
        Assert.Equal($"{directory}: is a directory, not a results file", Assert.Throws<SweepException>(() => SweepResults.Read(directory)).Message);
        string missing = Path.Combine(directory, "none.jsonl");
        Assert.Equal($"{missing}: no such results file", Assert.Throws<SweepException>(() => SweepResults.Read(missing)).Message);
    }

    [Fact]
    public void A_sweep_file_error_names_the_line_and_column()
    {
        using var dir = new TempPolicies();
        string path = dir.Write("s.toml", "policies = [\"x.rpol\"]\nseedz = [1]\n");
        var error = Assert.Throws<SweepException>(() => SweepFile.Load(path));
        Assert.Contains("s.toml(2,1): unknown key 'seedz'", error.Message);

        dir.Write("s.toml", "policies = [\"x.rpol\"]\n[more]\nseeds = [1]\n");
        error = Assert.Throws<SweepException>(() => SweepFile.Load(path));
        Assert.Contains("s.toml(2,1): a sweep file is a flat list of keys; tables are not used", error.Message);

        dir.Write("s.toml", "policies = [\"x.rpol\"\n");
        error = Assert.Throws<SweepException>(() => SweepFile.Load(path));
        Assert.Matches(@"s\.toml\(\d+,\d+\): invalid TOML: ", error.Message);

        dir.Write("s.toml", "policies = [\"x.rpol\"]\nseeds = [1]\nseeds = [2]\n");
        error = Assert.Throws<SweepException>(() => SweepFile.Load(path));
        Assert.Contains("s.toml(3,1): 'seeds' is given twice (first at line 2)", error.Message);

        dir.Write("s.toml", "policies = [\"x.rpol\"]\nseeds = \"1-x\"\n");
        error = Assert.Throws<SweepException>(() => SweepFile.Load(path));
        Assert.Contains("s.toml(2,1): seeds '1-x': '1-x' is not a seed", error.Message);

        dir.Write("s.toml", "policies = [\"x.rpol\"]\nduration = \"soon\"\n");
        error = Assert.Throws<SweepException>(() => SweepFile.Load(path));
        Assert.Contains("s.toml(2,1): duration 'soon' is not a positive duration", error.Message);

        dir.Write("s.toml", "policies = [\"x.rpol\"]\nsettings = [\"nodes\"]\n");
        error = Assert.Throws<SweepException>(() => SweepFile.Load(path));
        Assert.Contains("s.toml(2,1): 'nodes' is not a setting: expected KEY=VALUE", error.Message);

        dir.Write("s.toml", "policies = [\"x.rpol\"]\nsettings = [\"nodez=2\"]\n");
        error = Assert.Throws<SweepException>(() => SweepFile.Load(path));
        Assert.Contains("s.toml(2,1): unknown scenario field 'nodez'; did you mean 'nodes'?", error.Message);

        dir.Write("s.toml", "policies = [\"x.rpol\"]\nscenarios = [\"smal\"]\n");
        error = Assert.Throws<SweepException>(() => SweepFile.Load(path));
        Assert.Contains("s.toml(2,1): scenario 'smal' is neither a built-in scenario", error.Message);

        // Paths are checked after every key is read, each at its own line.
        dir.Write("s.toml", "name = \"n\"\npolicies = [\"x.rpol\"]\n");
        error = Assert.Throws<SweepException>(() => SweepFile.Load(path));
        Assert.Contains("s.toml(2,1): ", error.Message);
        Assert.EndsWith("x.rpol: no such policy file or directory", error.Message);

        dir.Write("x.rpol", "policy x extends linux-3.13 { }\n");
        dir.Write("s.toml", "policies = [\"x.rpol\"]\nscenarios = [\"small\", \"gone.toml\"]\n");
        error = Assert.Throws<SweepException>(() => SweepFile.Load(path));
        Assert.Contains("s.toml(2,1): ", error.Message);
        Assert.EndsWith("gone.toml: no such scenario file", error.Message);

        string missing = Path.Combine(Path.GetDirectoryName(path)!, "none.toml");
        error = Assert.Throws<SweepException>(() => SweepFile.Load(missing));
        Assert.StartsWith($"{missing}: cannot read the sweep file: ", error.Message);
    }

    /// <summary>Runs sweep cells on the built-in scenarios, compiling policies through a cache in <paramref name="dir"/>.</summary>
    static IReadOnlyList<SweepRow> RunCells(IReadOnlyList<SweepCell> cells, string? duration, TempPolicies dir, int jobs = 2) => SweepRunner.Run(
        cells,
        path => PolicyLoader.Load(path, new PolicyLoadOptions { CacheDirectory = Path.Combine(dir.Directory, "cache") }).Table!,
        SweepRunner.Scenarios(cells, BuiltinScenarios.Get, duration),
        jobs,
        finished: _ => { });

    [Fact]
    public void The_merged_shards_equal_the_unsharded_sweep_and_the_database_holds_every_row()
    {
        using var dir = new TempPolicies();
        var spec = new SweepSpec("t", [Repository.Linux313, Path.Combine(Repository.Policies, "fix-xfs-kmem-large.rpol")], ["small"], [1, 2], "3s");
        var cells = SweepPlan.Cells(spec);
        IReadOnlyList<SweepRow> Run(IReadOnlyList<SweepCell> subset) => RunCells(subset, spec.Duration, dir);

        var whole = SweepResults.Merge([Run(cells)]);
        var secondShard = Run(cells.Where(new Shard(2, 2).Contains).ToArray());
        var sharded = SweepResults.Merge([secondShard, Run(cells.Where(new Shard(1, 2).Contains).ToArray())]);
        Assert.Equal(whole.Select(r => r.ToJsonLine()), sharded.Select(r => r.ToJsonLine()));
        Assert.Empty(SweepResults.MissingCells(sharded));
        // Cells 0 and 2 are the first shard's: merged without it, they are missing.
        Assert.Equal([(0, 0), (2, 2)], SweepResults.MissingCells(SweepResults.Merge([secondShard])));
        Assert.Equal(cells.Select(c => c.Id), whole.Select(r => r.Id));

        string jsonl = Path.Combine(dir.Directory, "rows.jsonl");
        File.WriteAllText(jsonl, SweepResults.ToText(whole));
        Assert.Equal(whole, SweepResults.Read(jsonl));

        string db = Path.Combine(dir.Directory, "runs.db");
        SweepDatabase.Store(db, "t", whole);
        SweepDatabase.Store(db, "t", whole);   // storing a cell again replaces it
        using var connection = new SqliteConnection($"Data Source={db};Pooling=False");
        connection.Open();
        using var count = connection.CreateCommand();
        count.CommandText = "SELECT count(*), count(DISTINCT policy) FROM runs WHERE sweep = 't' AND scenario = 'small'";
        using var reader = count.ExecuteReader();
        Assert.True(reader.Read());
        Assert.Equal(4L, reader.GetInt64(0));
        Assert.Equal(2L, reader.GetInt64(1));
    }

    [Fact]
    public void A_row_carries_the_livelock_figures_and_an_older_database_takes_the_new_columns()
    {
        using var dir = new TempPolicies();
        var spec = new SweepSpec("t", [Repository.Linux313, Path.Combine(Repository.Policies, "fix-xfs-kmem-large.rpol")], ["small"], [1], "120s");
        var cells = SweepPlan.Cells(spec);
        var rows = RunCells(cells, spec.Duration, dir);
        var stuck = rows.Single(r => r.Policy == "linux-3.13");
        var fixedRow = rows.Single(r => r.Policy != "linux-3.13");
        Assert.Equal("livelock", stuck.Verdict);
        Assert.InRange(stuck.LivelockFreePercent!.Value, 0.01, 100);
        Assert.NotNull(stuck.LivelockSwapFreePercent);
        Assert.Equal(0, stuck.LivelockScanSwapMapPercent);
        Assert.Equal(0, stuck.LivelockSwapScansFailed);
        Assert.True(stuck.LivelockZonesShrunk > 0); // its top zone sits below compaction_ready's mark and is shrunk
        Assert.Equal(0, stuck.LivelockAnonScanned); // but the small run's reclaim picks SCAN_FILE (reproducing-the-seed.md)
        Assert.Equal(0, stuck.LivelockKswapdAsleepPercent); // awake, balancing, finding every zone balanced at order 0
        Assert.Equal(0, stuck.LivelockKswapdDStatePercent);
        Assert.Equal("completed", fixedRow.Verdict);
        Assert.Null(fixedRow.LivelockFreePercent);
        Assert.Null(fixedRow.LivelockZonesShrunk);
        Assert.Null(fixedRow.LivelockSwapScansFailed);
        Assert.Null(fixedRow.LivelockAnonScanned);
        Assert.Null(fixedRow.LivelockKswapdDStatePercent);
        Assert.All(rows, r => Assert.Equal(("small", "duration=120s"), (r.ScenarioBase, r.ScenarioSettings)));
        Assert.All(rows, r => Assert.Null(r.ReportBoundsMet)); // small is not the report's machine
        Assert.Equal(rows, SweepResults.Merge([rows]).Select(r => SweepRow.FromJsonLine(r.ToJsonLine())!));

        // A database written before the livelock columns existed.
        string db = Path.Combine(dir.Directory, "old.db");
        using (var connection = new SqliteConnection($"Data Source={db};Pooling=False"))
        {
            connection.Open();
            using var create = connection.CreateCommand();
            create.CommandText = """
                CREATE TABLE runs (sweep TEXT NOT NULL, id TEXT NOT NULL, cell INTEGER NOT NULL, policy TEXT NOT NULL,
                  policy_file TEXT NOT NULL, scenario TEXT NOT NULL, seed INTEGER NOT NULL, verdict TEXT NOT NULL,
                  files_removed INTEGER NOT NULL, files_total INTEGER NOT NULL, files_per_second REAL NOT NULL, completed_s REAL,
                  livelock_onset_s REAL, livelock_recovered_s REAL, kswapd_wakeups INTEGER NOT NULL, kswapd_slab_freed INTEGER NOT NULL,
                  reclaim_cpu_percent REAL NOT NULL, simulated_s REAL NOT NULL, policy_error TEXT, PRIMARY KEY (sweep, id));
                INSERT INTO runs VALUES ('old', 'x', 0, 'p', 'p.rpol', 'small', 1, 'completed', 1, 1, 1.0, 1.0, NULL, NULL, 0, 0, 0.0, 1.0, NULL);
                """;
            create.ExecuteNonQuery();
        }
        SweepDatabase.Store(db, "t", rows);
        using var check = new SqliteConnection($"Data Source={db};Pooling=False");
        check.Open();
        using var query = check.CreateCommand();
        query.CommandText = "SELECT sweep, livelock_free_percent, livelock_anon_scanned, scenario_settings, report_bounds_met, livelock_zones_shrunk FROM runs ORDER BY sweep, policy";
        using var reader = query.ExecuteReader();
        var seen = new List<(string, bool, bool, string?, bool)>();
        while (reader.Read())
        {
            seen.Add((reader.GetString(0), reader.IsDBNull(1), reader.IsDBNull(2), reader.IsDBNull(3) ? null : reader.GetString(3), reader.IsDBNull(5)));
            Assert.True(reader.IsDBNull(4));
        }
        // fix-xfs-kmem-large, then linux-3.13; the old row has no settings recorded, nor the columns added since
        Assert.Equal([("old", true, true, null, true), ("t", true, true, "duration=120s", true), ("t", false, false, "duration=120s", false)], seen);
    }

    [Fact]
    public void A_row_says_what_ended_the_livelock()
    {
        // small livelocks from 2.3 s; the operator's drop at 300 s ends it.
        using var dir = new TempPolicies();
        var spec = new SweepSpec("t", [Repository.Linux313], ["small"], [1], "310s");
        var cells = SweepPlan.Cells(spec);
        var row = RunCells(cells, spec.Duration, dir, jobs: 1).Single();
        Assert.NotNull(row.LivelockRecoveredS);
        Assert.Equal("drop_caches 2", row.LivelockEndedBy);
        Assert.Equal(row, SweepRow.FromJsonLine(row.ToJsonLine()));
        string db = Path.Combine(dir.Directory, "ended.db");
        SweepDatabase.Store(db, "t", [row]);
        using var connection = new SqliteConnection($"Data Source={db};Pooling=False");
        connection.Open();
        using var query = connection.CreateCommand();
        query.CommandText = "SELECT livelock_ended_by FROM runs";
        Assert.Equal("drop_caches 2", query.ExecuteScalar());
    }

    [Fact]
    public void The_summary_gives_the_spread_across_seeds()
    {
        SweepRow Row(ulong seed, double rate, double? completed) => new()
        {
            Id = $"p:small:{seed}", Cell = (int)seed, Policy = "p", PolicyFile = "p.rpol", Scenario = "small", Seed = seed,
            Verdict = completed is null ? "livelock" : "completed", FilesRemoved = 1, FilesTotal = 1, FilesPerSecond = rate,
            CompletedS = completed, KswapdWakeups = 0, KswapdSlabFreed = 0, ReclaimCpuPercent = 0, SimulatedS = 1,
            LivelockFreePercent = completed is null ? 1.5 : null,
        };
        var summary = Assert.Single(SweepSummary.Of([Row(1, 10, 5), Row(2, 20, 7), Row(3, 30, null)]));
        Assert.Equal(3, summary.Seeds);
        Assert.Equal(20, summary.FilesPerSecond!.Value.Mean);
        Assert.Equal(10, summary.FilesPerSecond!.Value.StdDev, 6);
        Assert.Equal(2, summary.CompletedS!.Value.N);
        Assert.Equal([("completed", 2), ("livelock", 1)], summary.Verdicts);
        Assert.Equal(new Spread(1.5, 0, 1), summary.LivelockFreePercent);
    }
}
