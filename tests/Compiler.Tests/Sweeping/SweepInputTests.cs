using Microsoft.Data.Sqlite;
using Policyc.Compiler.Sweeping;
using Policyc.Compiler.Tests.Support;

namespace Policyc.Compiler.Tests.Sweeping;

/// <summary>What a sweep reads that the user or another tool wrote: result files, databases, names.</summary>
public class SweepInputTests
{
    static readonly SweepRow Sample = new()
    {
        Id = "p:small:1", Cell = 0, Policy = "p", PolicyFile = "p.rpol", Scenario = "small", Seed = 1,
        Verdict = "completed", FilesRemoved = 1, FilesTotal = 1, FilesPerSecond = 1, CompletedS = 1,
        KswapdWakeups = 0, KswapdSlabFreed = 0, ReclaimCpuPercent = 0, SimulatedS = 1,
    };

    [Theory]
    [InlineData("\"id\":\"p:small:1\"", "\"id\":null", "'id' is null")]
    [InlineData("\"policy\":\"p\"", "\"policy\":null", "'policy' is null")]
    [InlineData("\"scenario\":\"small\"", "\"scenario\":null", "'scenario' is null")]
    [InlineData("\"verdict\":\"completed\"", "\"verdict\":null", "'verdict' is null")]
    [InlineData("\"cell\":0", "\"cell\":-1", "'cell' is -1, and cells are numbered from 0")]
    public void A_row_that_json_accepts_but_a_sweep_cannot_use_is_refused_at_its_line(string field, string edited, string why)
    {
        using var dir = new TempPolicies();
        string line = Sample.ToJsonLine();
        Assert.Contains(field, line);
        string path = dir.Write("rows.jsonl", line + "\n" + line.Replace(field, edited) + "\n");
        var error = Assert.Throws<SweepException>(() => SweepResults.Read(path));
        Assert.Equal($"{path}(2,1): not a sweep result line: {why}", error.Message);
    }

    [Fact]
    public void A_rows_settings_do_not_carry_a_scenario_files_seed_that_the_cell_replaced()
    {
        using var dir = new TempPolicies();
        string file = dir.Write("s3.toml", "base = \"small\"\nseed = 3\nduration = \"1s\"\n");
        var spec = new SweepSpec("t", [Path.Combine(dir.Directory, "linux-3.13.rpol")], [file], [1]);
        var cells = SweepPlan.Cells(spec);
        var row = Assert.Single(SweepRunner.Run(
            cells,
            path => PolicyLoader.Load(path, new PolicyLoadOptions { CacheDirectory = Path.Combine(dir.Directory, "cache") }).Table!,
            SweepRunner.Scenarios(cells, Runtime.Scenarios.ScenarioReader.Load, spec.Duration),
            jobs: 1,
            finished: _ => { }));
        Assert.Equal(((ulong)1, "duration=1s"), (row.Seed, row.ScenarioSettings));
    }

    [Fact]
    public void Missing_cells_are_the_gaps_between_rows_however_large_a_cell_number()
    {
        var rows = new[] { Sample with { Cell = 1 }, Sample with { Id = "b", Cell = 4 }, Sample with { Id = "c", Cell = int.MaxValue } };
        Assert.Equal([(0, 0), (2, 3), (5, int.MaxValue - 1)], SweepResults.MissingCells(rows));
        Assert.Empty(SweepResults.MissingCells([Sample, Sample with { Id = "b", Cell = 1 }]));
        Assert.Empty(SweepResults.MissingCells([]));
    }

    [Fact]
    public async Task A_named_pipe_without_a_writer_reads_as_no_rows_instead_of_blocking()
    {
        if (!OperatingSystem.IsLinux())
            return; // the non-blocking open is Linux's
        using var dir = new TempPolicies();
        string path = Path.Combine(dir.Directory, "pipe.jsonl");
        using (var mkfifo = System.Diagnostics.Process.Start("mkfifo", path))
            mkfifo.WaitForExit();
        var read = Task.Run(() => SweepResults.Read(path));
        Assert.True(await Task.WhenAny(read, Task.Delay(TimeSpan.FromSeconds(30))) == read, "reading a named pipe without a writer blocked");
        Assert.Empty(await read);
    }

    [Fact]
    public void A_database_whose_runs_table_is_someone_elses_is_refused_before_and_left_as_it_was()
    {
        using var dir = new TempPolicies();
        string db = Path.Combine(dir.Directory, "theirs.db");
        using (var connection = new SqliteConnection($"Data Source={db};Pooling=False"))
        {
            connection.Open();
            using var create = connection.CreateCommand();
            create.CommandText = "CREATE TABLE runs (x INTEGER); INSERT INTO runs VALUES (7);";
            create.ExecuteNonQuery();
        }
        string expected = $"{db}: cannot store results there: its table 'runs' is not a sweep's (it has no column 'sweep', 'id', 'cell', …)";
        Assert.Equal(expected, Assert.Throws<SweepException>(() => SweepDatabase.Check(db)).Message);
        Assert.StartsWith($"{db}: cannot store the results: its table 'runs' is not a sweep's",
            Assert.Throws<SweepException>(() => SweepDatabase.Store(db, "t", [Sample])).Message);

        using var check = new SqliteConnection($"Data Source={db};Pooling=False");
        check.Open();
        using var columns = check.CreateCommand();
        columns.CommandText = "SELECT group_concat(name) FROM pragma_table_info('runs')";
        Assert.Equal("x", columns.ExecuteScalar());
    }

    [Theory]
    [InlineData("", "a sweep needs a name")]
    [InlineData("/", "'/' is not a file name (the default output is NAME.jsonl)")]
    [InlineData("..", "'..' is not a file name (the default output is NAME.jsonl)")]
    [InlineData("a/b", "'a/b' is not a file name (the default output is NAME.jsonl)")]
    [InlineData("a\nb", "the name holds a control character")]
    public void A_sweep_name_must_be_a_file_name(string name, string why) => Assert.Equal(why, SweepSpec.NameProblem(name));

    [Fact]
    public void Good_sweep_names_pass() =>
        Assert.All(new[] { "sweep", "seed-4nodes.readahead", "nightly_2026" }, n => Assert.Null(SweepSpec.NameProblem(n)));

    [Fact]
    public void A_sweep_files_name_is_checked_at_its_line()
    {
        using var dir = new TempPolicies();
        string path = dir.Write("s.toml", "policies = [\"linux-3.13.rpol\"]\nname = \"../elsewhere\"\n");
        Assert.Equal($"{path}(2,1): name: '../elsewhere' is not a file name (the default output is NAME.jsonl)",
            Assert.Throws<SweepException>(() => SweepFile.Load(path)).Message);
    }

    [Fact]
    public void A_sweep_file_nested_too_deep_is_an_error_at_the_bracket_that_goes_too_far()
    {
        using var dir = new TempPolicies();
        string path = dir.Write("s.toml", "policies = [\"linux-3.13.rpol\"]\nseeds = " + new string('[', 64) + new string(']', 64) + "\n");
        Assert.Equal($"{path}(2,72): invalid TOML: arrays or inline tables nested 64 deep or more",
            Assert.Throws<SweepException>(() => SweepFile.Load(path)).Message);
    }

    [Fact]
    public void A_setting_given_twice_in_a_sweep_file_is_refused_as_a_scenario_file_refuses_it()
    {
        using var dir = new TempPolicies();
        string path = dir.Write("s.toml", "policies = [\"linux-3.13.rpol\"]\nsettings = [\"swap-write-latency=10ms\", \"swap_write_latency=20ms\"]\n");
        Assert.Equal($"{path}(2,1): settings: 'swap_write_latency' is given twice",
            Assert.Throws<SweepException>(() => SweepFile.Load(path)).Message);
    }
}
