using Policyc.EndToEnd.Tests.Fixtures;

namespace Policyc.EndToEnd.Tests.Commands;

/// <summary>policyc test and diff as a user runs them: output, exit codes, errors with positions.</summary>
public sealed class AuthoringCommandTests : IDisposable
{
    readonly string directory = Directory.CreateTempSubdirectory("policyc-authoring-").FullName;

    public void Dispose() => Directory.Delete(directory, recursive: true);

    string Write(string name, string text)
    {
        string path = Path.Combine(directory, name);
        File.WriteAllText(path, text);
        return path;
    }

    void CopyLinux313() =>
        File.Copy(Path.Combine(PolicycProcess.RepositoryRoot, "policies", "linux-3.13.rpol"), Path.Combine(directory, "linux-3.13.rpol"));

    [Fact]
    public void Test_prints_expected_got_and_the_deciding_rule_and_exits_1()
    {
        CopyLinux313();
        Write("linux-3.13.test.rpol", "test \"nofs\" {\n  given gfp = GFP_NOFS, order = 4;\n  expect may_compact == true;\n}\n");
        var result = PolicycProcess.RunIn(directory, "test", ".");
        Assert.True(result.ExitCode == 1, result.ToString());
        Assert.Contains("FAIL linux-3.13.test.rpol(1,6) \"nofs\"", result.Stdout);
        Assert.Contains("linux-3.13.test.rpol(3,3): expected gfp.may_compact == true, got false", result.Stdout);
        Assert.Contains("decided by linux-3.13.rpol(11,5): may_compact", result.Stdout);
        Assert.Contains("0 passed, 1 failed", result.Stdout);
    }

    [Fact]
    public void Test_threshold_fails_below_the_coverage_asked_for()
    {
        CopyLinux313();
        Write("linux-3.13.test.rpol", "test \"nofs\" {\n  given gfp = GFP_NOFS, order = 4;\n  expect may_compact == false;\n}\n");
        var result = PolicycProcess.RunIn(directory, "test", ".", "--threshold", "50");
        Assert.True(result.ExitCode == 1, result.ToString());
        Assert.Contains("1 passed, 0 failed", result.Stdout);
        Assert.Contains("is below the threshold of 50.0%", result.Stdout);
        Assert.Contains("rule gfp.wake_kswapd never decided", result.Stdout);
    }

    [Fact]
    public void Test_reports_errors_in_test_files_with_positions()
    {
        CopyLinux313();
        Write("linux-3.13.test.rpol", "test \"bad\" {\n  given zone.fre = 3 pages;\n  expect may_oom == true;\n}\n");
        var result = PolicycProcess.RunIn(directory, "test", ".");
        Assert.True(result.ExitCode == 1, result.ToString());
        Assert.Contains("linux-3.13.test.rpol(2,9): error RP0702", result.Stderr);
        Assert.DoesNotContain("   at ", result.Stderr);
    }

    [Fact]
    public void The_shipped_policies_pass_their_tests()
    {
        var result = PolicycProcess.Run("test", "policies", "--coverage");
        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Contains(" 0 failed", result.Stdout);
        Assert.Contains("policies/fix-nofs-compaction.rpol", result.Stdout);
    }

    [Fact]
    public void Diff_prints_rules_and_decision_differences()
    {
        var result = PolicycProcess.Run("diff", "policies/linux-3.13.rpol", "policies/fix-nofs-compaction.rpol");
        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Contains("- policies/linux-3.13.rpol(11,5): may_compact", result.Stdout);
        Assert.Contains("+ policies/fix-nofs-compaction.rpol(5,9): may_compact = order > 0 && has(IO);", result.Stdout);
        Assert.Contains("gfp.may_compact: 480 of 3696 inputs", result.Stdout);
        Assert.Contains("false -> true  480  gfp: GFP_NOFS, GFP_NOFS|__GFP_NOFAIL; order: 1-10", result.Stdout);
    }

    [Fact]
    public void Diff_run_compares_both_runs_on_one_seed()
    {
        var result = PolicycProcess.Run("diff", "policies/linux-3.13.rpol", "policies/linux-modern.rpol", "--run", "small", "--duration", "20s");
        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Contains("behaviour on small, seed 1:\n  settings: small with duration=20s\n", result.Stdout);
        Assert.Contains("files removed per second", result.Stdout);
    }

    [Fact]
    public void Diff_run_on_a_scenario_file_says_what_the_file_sets()
    {
        Write("d.toml", "base = \"small\"\nswap-write-latency = \"10ms\"\n");
        var result = PolicycProcess.Run("diff", "policies/linux-3.13.rpol", "policies/fix-nofs-compaction.rpol", "--run", Path.Combine(directory, "d.toml"), "--duration", "3s");
        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Contains("behaviour on d, seed 1:\n  settings: small with swap-write-latency=10ms, duration=3s\n", result.Stdout);
    }

    [Fact]
    public void Diff_of_a_missing_file_is_one_line_and_exit_1()
    {
        var result = PolicycProcess.Run("diff", "policies/linux-3.13.rpol", "policies/nope.rpol");
        Assert.Equal(1, result.ExitCode);
        Assert.Contains("policyc: error: policies/nope.rpol: no such policy file", result.Stderr);
    }

    [Theory]
    [InlineData(new[] { "diff", "policies/linux-3.13.rpol", "policies/linux-modern.rpol", "--run", "small", "--duration", "0s" }, 1,
        "scenario 'small' is impossible: duration: must be positive")]
    [InlineData(new[] { "diff", "policies/linux-3.13.rpol", "policies/linux-modern.rpol", "--run", "smal" }, 2,
        "--run smal: not a built-in scenario (seed, small, seed-minimal) nor a .json or .toml file; did you mean 'small'?")]
    [InlineData(new[] { "bundle", "policies/linux-3.13.rpol", "--scenario", "small", "--duration", "0s" }, 1,
        "scenario 'small' is impossible: duration: must be positive")]
    [InlineData(new[] { "bundle", "policies/linux-3.13.rpol", "--scenario", "small", "--duration", "soon" }, 2,
        "duration: 'soon' is not a duration")]
    public void A_bad_scenario_for_diff_or_bundle_is_its_error_alone_with_run_s_exit_codes(string[] args, int exitCode, string message)
    {
        // diff used to print the whole static diff first, and both answered an impossible scenario with exit 2.
        var result = PolicycProcess.Run(args);
        Assert.True(result.ExitCode == exitCode, result.ToString());
        Assert.StartsWith("policyc: error: " + message, result.Stderr.Trim());
        Assert.Equal("", result.Stdout);
    }

    [Fact]
    public void Sweep_shards_merge_to_the_unsharded_sweep()
    {
        string[] common = ["sweep", "--policy", "policies/linux-3.13.rpol", "--policy", "policies/fix-xfs-kmem-large.rpol",
            "--scenario", "small", "--seeds", "1-2", "--duration", "3s", "--jobs", "2"];
        string Out(string name) => Path.Combine(directory, name);
        var whole = PolicycProcess.Run([.. common, "--out", Out("all.jsonl"), "--db", Out("runs.db")]);
        Assert.True(whole.ExitCode == 0, whole.ToString());
        Assert.Contains("[4/4]", whole.Stderr);
        Assert.Contains("linux-3.13          small     2", whole.Stdout);
        foreach (var shard in new[] { "1/2", "2/2" })
        {
            var part = PolicycProcess.Run([.. common, "--shard", shard, "--out", Out($"shard-{shard[0]}.jsonl")]);
            Assert.True(part.ExitCode == 0, part.ToString());
        }
        Assert.Equal(2, File.ReadAllLines(Out("shard-1.jsonl")).Length);
        var merged = PolicycProcess.Run("sweep", "merge", Out("shard-2.jsonl"), Out("shard-1.jsonl"));
        var unsharded = PolicycProcess.Run("sweep", "merge", Out("all.jsonl"));
        Assert.Equal(0, merged.ExitCode);
        Assert.Equal(unsharded.Stdout, merged.Stdout);
        Assert.Equal(4, merged.Stdout.TrimEnd().Split('\n').Length);
        Assert.True(File.Exists(Out("runs.db")));

        // --cells adds a line per cell to the summary; the merged rows then go to --out, not stdout.
        var cells = PolicycProcess.Run("sweep", "merge", Out("shard-2.jsonl"), Out("shard-1.jsonl"), "--cells", "--out", Out("merged.jsonl"));
        Assert.True(cells.ExitCode == 0, cells.ToString());
        Assert.Contains("bounds met", cells.Stdout);
        int policyLines = cells.Stdout.Split('\n').Count(l => l.StartsWith("linux-3.13 ", StringComparison.Ordinal) || l.StartsWith("fix-xfs-kmem-large ", StringComparison.Ordinal));
        Assert.Equal(2 + 4, policyLines); // a summary row per policy, then a line per cell
        var noOut = PolicycProcess.Run("sweep", "merge", Out("shard-1.jsonl"), "--cells");
        Assert.True(noOut.ExitCode == 2, noOut.ToString());
        Assert.Contains("--cells prints a table beside the summary: give --out FILE", noOut.Stderr);
    }

    [Fact]
    public void A_sweep_that_fails_before_any_cell_leaves_no_output_file()
    {
        string output = Path.Combine(directory, "rows.jsonl");
        var result = PolicycProcess.Run("sweep", "--policy", "policies/linux-3.13.rpol", "--scenario", Path.Combine(directory, "missing.toml"),
            "--out", output);
        Assert.True(result.ExitCode == 1, result.ToString());
        Assert.Contains("missing.toml: no such scenario file", result.Stderr);
        Assert.False(File.Exists(output));
    }

    [Fact]
    public void A_sweep_sets_scenario_fields_on_every_cell_and_refuses_a_bad_setting_before_it_starts()
    {
        string output = Path.Combine(directory, "set.jsonl");
        var result = PolicycProcess.Run("sweep", "--policy", "policies/linux-3.13.rpol", "--scenario", "small",
            "--set", "nodes=2", "--set", "page-cluster=3", "--duration", "1s", "--out", output);
        Assert.True(result.ExitCode == 0, result.ToString());
        var row = System.Text.Json.JsonDocument.Parse(Assert.Single(File.ReadAllLines(output))).RootElement;
        Assert.Equal("nodes=2, page-cluster=3, duration=1s", row.GetProperty("scenario_settings").GetString());

        foreach (var (setting, message) in new[]
        {
            ("nodes", "policyc: error: --set nodes: 'nodes' is not a setting: expected KEY=VALUE, e.g. nodes=4"),
            ("nodes=x", "policyc: error: --set nodes=x: nodes: 'x' is not a count (like 16, 500k, 2M)"),
        })
        {
            string refused = Path.Combine(directory, "refused.jsonl");
            result = PolicycProcess.Run("sweep", "--policy", "policies/linux-3.13.rpol", "--scenario", "small", "--set", setting, "--out", refused);
            Assert.True(result.ExitCode == 2, result.ToString());
            Assert.Equal(message, result.Stderr.Trim());
            Assert.False(File.Exists(refused));
        }
    }

    [Fact]
    public void A_sweep_of_an_impossible_scenario_is_refused_before_it_starts()
    {
        // It used to be found by the first cell, inside the parallel loop: exit 70, "internal error".
        string output = Path.Combine(directory, "rows.jsonl");
        var result = PolicycProcess.Run("sweep", "--policy", "policies/linux-3.13.rpol", "--scenario", "small", "--duration", "0s",
            "--out", output);
        Assert.True(result.ExitCode == 1, result.ToString());
        Assert.Equal("policyc: error: scenario 'small' is impossible: duration: must be positive", result.Stderr.Trim());
        Assert.False(File.Exists(output));
    }

    [Fact]
    public void A_sweep_does_not_append_its_rows_to_a_file_that_holds_something_else()
    {
        // They used to be appended to whatever the file held.
        string notes = Path.Combine(directory, "notes.md");
        File.WriteAllText(notes, "# notes\n");
        var result = PolicycProcess.Run("sweep", "--policy", "policies/linux-3.13.rpol", "--scenario", "small", "--duration", "1s", "--out", notes);
        Assert.True(result.ExitCode == 1, result.ToString());
        Assert.Contains($"policyc: error: --out {notes}: rows are appended, and this file holds something else ({notes}(1,1): not a sweep result line", result.Stderr);
        Assert.Equal("# notes\n", File.ReadAllText(notes));
    }

    [Fact]
    public void A_db_that_is_not_a_database_is_refused_before_the_sweep_runs()
    {
        // It failed after every cell had run.
        string notes = Path.Combine(directory, "notes.db");
        File.WriteAllText(notes, "# notes\n");
        string output = Path.Combine(directory, "rows.jsonl");
        var result = PolicycProcess.Run("sweep", "--policy", "policies/linux-3.13.rpol", "--scenario", "small", "--duration", "1s",
            "--out", output, "--db", notes);
        Assert.True(result.ExitCode == 1, result.ToString());
        Assert.Contains($"policyc: error: --db {notes}: cannot store results there: SQLite Error 26", result.Stderr);
        Assert.False(File.Exists(output));
        Assert.Equal("# notes\n", File.ReadAllText(notes));
    }

    [Fact]
    public void Sweep_without_policies_is_a_usage_error()
    {
        var result = PolicycProcess.Run("sweep", "--scenario", "small");
        Assert.Equal(2, result.ExitCode);
        Assert.Contains("no policies", result.Stderr);
    }

    [Fact]
    public void A_bundle_replays_with_the_same_result_and_a_tampered_one_fails()
    {
        string bundle = Path.Combine(directory, "fix.bundle");
        var written = PolicycProcess.Run("bundle", "policies/fix-xfs-kmem-large.rpol", "--seed", "2", "--duration", "5s", "--out", bundle);
        Assert.True(written.ExitCode == 0, written.ToString());
        string text = File.ReadAllText(bundle);
        Assert.Contains("--- fix-xfs-kmem-large.rpol\n", text);
        Assert.Contains("--- linux-3.13.rpol\n", text);
        Assert.Contains("seed: 2\n", text);

        var replay = PolicycProcess.RunIn(directory, "run", "fix.bundle");
        Assert.True(replay.ExitCode == 0, replay.ToString());
        Assert.Contains("replay: reproduced all 9 expected metrics of the bundle", replay.Stdout);

        File.WriteAllText(bundle, System.Text.RegularExpressions.Regex.Replace(text, "expect simulated_s: .*", "expect simulated_s: 1234"));
        var tampered = PolicycProcess.RunIn(directory, "run", "fix.bundle");
        Assert.Equal(1, tampered.ExitCode);
        Assert.Contains("simulated_s: expected 1234, got", tampered.Stdout);

        var flags = PolicycProcess.RunIn(directory, "run", "fix.bundle", "--seed", "3");
        Assert.Equal(2, flags.ExitCode);

        // Every other command taking a policy says what a bundle is rather than parsing its '#' lines.
        foreach (var command in new[] { "check", "fmt", "test", "diff" })
        {
            string[] args = command == "diff" ? [command, "fix.bundle", "fix.bundle"] : [command, "fix.bundle"];
            var other = PolicycProcess.RunIn(directory, args);
            Assert.True(other.ExitCode == 1, other.ToString());
            Assert.Contains("fix.bundle(1,1): error RP0500: 'fix.bundle' is a bundle (policyc bundle), not a policy; replay it with `policyc run fix.bundle`", other.Stderr);
            Assert.DoesNotContain("RP0002", other.Stderr);
        }
    }

    [Fact]
    public void A_bad_value_in_a_bundled_scenario_file_is_reported_at_the_bundles_line()
    {
        // The replay reads the carried scenario from the bundle's text: the error names the bundle
        // and the line the value is on there, not a file unpacked in a temporary directory.
        Write("wb.toml", "base = \"small\"\nduration = \"2s\"\nswap-write-latency = \"1ms\"\n");
        var written = PolicycProcess.Run("bundle", "policies/linux-3.13.rpol", "--scenario", Path.Combine(directory, "wb.toml"), "--out", Path.Combine(directory, "wb.bundle"));
        Assert.True(written.ExitCode == 0, written.ToString());
        var lines = File.ReadAllLines(Path.Combine(directory, "wb.bundle"));
        int at = Array.FindIndex(lines, l => l.StartsWith("swap-write-latency", StringComparison.Ordinal));
        lines[at] = "swap-write-latency = \"-1ms\"";
        File.WriteAllLines(Path.Combine(directory, "wb.bundle"), lines);

        var replay = PolicycProcess.RunIn(directory, "run", "wb.bundle");
        Assert.Equal(1, replay.ExitCode);
        Assert.Contains($"policyc: error: wb.bundle({at + 1},1): swap-write-latency: '-1ms' is not a duration", replay.Stderr);
        Assert.DoesNotContain("policyc-replay", replay.Stderr);
    }

    [Fact]
    public void Diagnostics_in_a_base_name_it_relative_to_the_working_directory()
    {
        Directory.CreateDirectory(Path.Combine(directory, "policies"));
        Write("policies/a.rpol", "policy a extends b { }\n");
        Write("policies/b.rpol", "policy b extends a { }\n");
        Write("c.rpol", "policy c extends nosuch { }\n");

        var cycle = PolicycProcess.RunIn(directory, "check", "policies/a.rpol");
        Assert.Equal(1, cycle.ExitCode);
        Assert.Contains("policies/b.rpol(1,18): error RP0201: 'extends' forms a cycle", cycle.Stderr + cycle.Stdout);
        Assert.DoesNotContain(directory, cycle.Stderr + cycle.Stdout);

        var missing = PolicycProcess.RunIn(directory, "check", "c.rpol");
        Assert.Contains("(looked for nosuch.rpol, policies/nosuch.rpol)", missing.Stderr + missing.Stdout);
    }

    [Fact]
    public void Test_of_a_directory_reports_a_shared_error_once_by_the_path_a_user_types()
    {
        Write("x.rpol", "policy x extends y { }\n");
        Write("y.rpol", "policy y extends x { }\n");

        var result = PolicycProcess.RunIn(directory, "test", ".");
        Assert.Equal(1, result.ExitCode);
        string output = result.Stdout + result.Stderr;
        Assert.DoesNotContain("./", output);
        var cycles = System.Text.RegularExpressions.Regex.Matches(output, @"^\S+\(1,18\): error RP0201.*$", System.Text.RegularExpressions.RegexOptions.Multiline)
            .Select(m => m.Value).ToArray();
        Assert.Equal(cycles.Distinct().Count(), cycles.Length);
        Assert.Equal(2, cycles.Length);

        foreach (var command in new[] { "check", "build" })
        {
            var each = PolicycProcess.RunIn(directory, command, "x.rpol", "y.rpol");
            Assert.Equal(2, System.Text.RegularExpressions.Regex.Matches(each.Stderr, "error RP0201").Count);
        }
    }

    [Fact]
    public void Check_binds_tests_beside_a_policy_and_in_a_test_file_without_running_them()
    {
        CopyLinux313();
        Write("linux-3.13.test.rpol", "test \"t\" {\n  given nosuch = 3;\n  expect may_oom == true;\n}\n");
        Write("q.rpol", "policy q extends linux-3.13 { }\ntest \"run\" {\n  given scenario = small;\n  expect verdict == livelock;\n}\ntest \"u\" {\n  expect may_oom == 3;\n}\n");

        var result = PolicycProcess.RunIn(directory, "check", "linux-3.13.test.rpol", "q.rpol");
        Assert.True(result.ExitCode == 1, result.ToString());
        Assert.Contains("linux-3.13.test.rpol(2,9): error RP0702: unknown field 'nosuch'", result.Stderr);
        Assert.Contains("q.rpol(7,21): error RP0110:", result.Stderr);
        Assert.DoesNotContain("simulated", result.Stdout + result.Stderr);

        File.Delete(Path.Combine(directory, "q.rpol"));
        Write("linux-3.13.test.rpol", "test \"t\" {\n  given order = 4;\n  expect may_oom == false;\n}\n");
        var clean = PolicycProcess.RunIn(directory, "check", "linux-3.13.test.rpol");
        Assert.True(clean.ExitCode == 0, clean.ToString());
        Assert.Contains("linux-3.13.test.rpol: ok", clean.Stdout + clean.Stderr);
    }

    [Fact]
    public void Check_of_a_policy_checks_the_test_file_beside_it_as_test_runs_it()
    {
        CopyLinux313();
        Write("linux-3.13.test.rpol", "test \"t\" {\n  given order = 99x;\n  expect may_oom == false;\n}\n");

        var result = PolicycProcess.RunIn(directory, "check", "linux-3.13.rpol");
        Assert.True(result.ExitCode == 1, result.ToString());
        Assert.Contains("linux-3.13.test.rpol(2,17): error RP0003", result.Stderr);
        Assert.Contains("linux-3.13.rpol: ok", result.Stdout + result.Stderr);

        // Named beside its policy, the test file is checked once.
        var both = PolicycProcess.RunIn(directory, "check", "linux-3.13.rpol", "linux-3.13.test.rpol");
        Assert.Single(both.Stderr.Split('\n'), line => line.StartsWith("linux-3.13.test.rpol(2,17)", StringComparison.Ordinal));

        Write("linux-3.13.test.rpol", "test \"t\" {\n  given order = 4;\n  expect may_oom == false;\n}\n");
        var clean = PolicycProcess.RunIn(directory, "check", "linux-3.13.rpol");
        Assert.True(clean.ExitCode == 0, clean.ToString());
        Assert.Contains("linux-3.13.test.rpol: ok", clean.Stdout + clean.Stderr);
    }

    [Fact]
    public void Build_refuses_to_write_two_policies_of_one_name_over_each_other()
    {
        CopyLinux313();
        Directory.CreateDirectory(Path.Combine(directory, "a"));
        Directory.CreateDirectory(Path.Combine(directory, "b"));
        Write("a/x.rpol", "policy x extends \"../linux-3.13.rpol\" { swap { skip_lowest_bit = false; } }\n");
        Write("b/x.rpol", "policy x extends \"../linux-3.13.rpol\" { }\n");

        var result = PolicycProcess.RunIn(directory, "build", "a/x.rpol", "b/x.rpol", "--emit-cs", "out");
        Assert.True(result.ExitCode == 1, result.ToString());
        Assert.Contains("b/x.rpol(1,8): error RP0501: policy 'x' is also built from 'a/x.rpol', and both would write 'out/x.g.cs'", result.Stderr);
        // a/x.rpol's code, with its one rule; b/x.rpol states none.
        Assert.Contains("#line 1 \"x.rpol\"", File.ReadAllText(Path.Combine(directory, "out", "x.g.cs")));

        // Without an output directory nothing collides, and the same file twice is one policy.
        Assert.Equal(0, PolicycProcess.RunIn(directory, "build", "a/x.rpol", "b/x.rpol").ExitCode);
        Assert.Equal(0, PolicycProcess.RunIn(directory, "build", "a/x.rpol", "a/x.rpol", "--emit-cs", "out").ExitCode);
    }
}
