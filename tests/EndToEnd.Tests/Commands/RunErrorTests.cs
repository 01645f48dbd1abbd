using Policyc.EndToEnd.Tests.Fixtures;

namespace Policyc.EndToEnd.Tests.Commands;

/// <summary>Every way a run can be asked wrongly: one clear line on stderr, the right exit code, no stack trace.</summary>
public sealed class RunErrorTests : IDisposable
{
    const string Policy = "policies/linux-3.13.rpol";
    readonly string directory = Directory.CreateTempSubdirectory("policyc-run-errors-").FullName;

    public void Dispose() => Directory.Delete(directory, recursive: true);

    static void AssertError(PolicycResult result, int exitCode, string message)
    {
        Assert.True(result.ExitCode == exitCode, result.ToString());
        Assert.Contains($"policyc: error: {message}", result.Stderr);
        Assert.DoesNotContain("   at ", result.Stderr);
        Assert.Equal("", result.Stdout);
    }

    [Fact]
    public async Task A_named_pipe_as_the_policy_is_read_as_empty_not_waited_on()
    {
        if (!OperatingSystem.IsLinux())
            return; // the non-blocking open is Linux's
        string pipe = Path.Combine(directory, "pipe.rpol");
        using (var mkfifo = System.Diagnostics.Process.Start("mkfifo", pipe))
            mkfifo.WaitForExit();
        // Whether it is a bundle is asked first; that open must not wait for a writer either.
        var run = Task.Run(() => PolicycProcess.Run("run", pipe, "--scenario", "small", "--duration", "1s"));
        Assert.True(await Task.WhenAny(run, Task.Delay(TimeSpan.FromSeconds(60))) == run, "run waited on a named pipe without a writer");
        var result = await run;
        Assert.True(result.ExitCode == 1, result.ToString());
        Assert.Contains("error RP0005: the file holds no policy", result.Stdout + result.Stderr);
    }

    [Fact]
    public void The_report_and_the_plot_may_not_be_one_file()
    {
        string target = Path.Combine(directory, "out.svg"), link = Path.Combine(directory, "link.svg");
        File.WriteAllText(target, "previous");
        File.CreateSymbolicLink(link, target);
        foreach (var plot in new[] { target, link })
            AssertError(PolicycProcess.Run("run", Policy, "--scenario", "small", "--duration", "1s", "--json", target, "--plot", plot), 2,
                $"--json {target} and --plot {plot} name the same file; the plot would replace the report");
        Assert.Equal("previous", File.ReadAllText(target));
    }

    [Fact]
    public void A_missing_policy_file_exits_1() =>
        AssertError(PolicycProcess.Run("run", "policies/no-such-policy.rpol", "--scenario", "small"), 1, "policies/no-such-policy.rpol: no such policy file");

    [Fact]
    public void A_run_that_does_not_fit_in_memory_is_an_error_that_keeps_the_previous_report()
    {
        // 100M files need about 4 GB of per-file arrays; the runtime may use 256 MiB here.
        string json = Path.Combine(directory, "report.json");
        File.WriteAllText(json, "{\"previous\": true}");
        var result = PolicycProcess.RunWith(PolicycProcess.RepositoryRoot, new Dictionary<string, string> { ["DOTNET_GCHeapHardLimit"] = "0x10000000" },
            "run", Policy, "--scenario", "small", "--files", "100M", "--duration", "1s", "--json", json);
        Assert.True(result.ExitCode == 1, result.ToString());
        Assert.Contains("policyc: error: out of memory: the simulation needs more than this process may use", result.Stderr);
        Assert.DoesNotContain("internal error", result.Stderr);
        Assert.Equal("{\"previous\": true}", File.ReadAllText(json));
    }

    [Fact]
    public void A_control_character_in_a_bad_value_is_printed_escaped_on_one_line()
    {
        var result = PolicycProcess.Run("run", Policy, "--scenario", "small", "--set", "mem=1G\u0001\nx");
        AssertError(result, 2, "mem: '1G\\u0001\\nx' is not a size");
        Assert.Single(result.Stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries), l => l.StartsWith("policyc: error:", StringComparison.Ordinal));
    }

    [Fact]
    public void A_value_that_does_not_parse_is_a_usage_error() =>
        AssertError(PolicycProcess.Run("run", Policy, "--scenario", "small", "--mem", "lots"), 2, "mem: 'lots' is not a size");

    [Fact]
    public void An_unknown_scenario_is_a_usage_error() =>
        AssertError(PolicycProcess.Run("run", Policy, "--scenario", "no-such-scenario"), 2, "--scenario no-such-scenario: not a built-in scenario");

    [Fact]
    public void An_impossible_scenario_exits_1_naming_every_bad_field_on_one_line()
    {
        var result = PolicycProcess.Run("run", Policy, "--scenario", "small", "--dir-block", "48k", "--mem", "32M");
        AssertError(result, 1, "scenario 'small' is impossible: mem: 32M is below the 64M minimum; dir-block: 48K is not a power of two");
        Assert.Single(result.Stderr.TrimEnd().Split('\n'));
    }

    // A size that is no whole number of KiB reads as bytes in the error, not as a bare number.
    [Fact]
    public void An_impossible_size_below_a_kibibyte_is_named_in_bytes() =>
        AssertError(PolicycProcess.Run("run", Policy, "--scenario", "small", "--dir-block", "5000"), 1,
            "scenario 'small' is impossible: dir-block: 5000 bytes is not a power of two from 4k to 64k");

    [Fact]
    public void An_impossible_scenario_file_exits_1_at_the_line_of_the_field()
    {
        var file = Path.Combine(directory, "two-nodes.toml");
        File.WriteAllText(file, "base = \"small\"\ncpus = 1\nnodes = 2\n");
        var result = PolicycProcess.Run("run", Policy, "--scenario", file);
        AssertError(result, 1, $"scenario 'two-nodes' is impossible: {file}(3,1): nodes: 2 nodes for 1 CPU:");
        Assert.Single(result.Stderr.TrimEnd().Split('\n'));
    }

    [Fact]
    public void More_nodes_than_cpus_is_an_impossible_scenario() =>
        AssertError(PolicycProcess.Run("run", Policy, "--scenario", "small", "--nodes", "8"), 1,
            "scenario 'small' is impossible: nodes: 8 nodes for 4 CPUs: every node needs a CPU");

    [Fact]
    public void A_plot_that_is_neither_svg_nor_png_is_a_usage_error()
    {
        var plot = Path.Combine(directory, "run.pdf");
        AssertError(PolicycProcess.Run("run", Policy, "--scenario", "small", "--plot", plot), 2, $"--plot {plot}: the file must end in .svg or .png");
    }

    [Fact]
    public void Compare_needs_two_policies() =>
        AssertError(PolicycProcess.Run("compare", Policy, "--scenario", "small"), 2,
            $"compare needs two or more policies, got one ('{Policy}'); to run a single policy use `policyc run {Policy}`");

    [Fact]
    public void An_output_path_where_no_file_can_be_created_fails_before_the_run()
    {
        // /proc takes no new files, even for root, so the check cannot pass by privilege.
        var result = PolicycProcess.Run("run", Policy, "--scenario", "small", "--json", "/proc/policyc-out.json");
        AssertError(result, 1, "--json /proc/policyc-out.json: cannot write in '/proc': the filesystem there does not allow creating files");
        Assert.DoesNotContain("simulated", result.Stderr);
    }

    [Fact]
    public void A_policy_with_errors_exits_1_with_positions_and_keeps_the_previous_json()
    {
        var policy = Path.Combine(directory, "broken.rpol");
        File.WriteAllText(policy, "policy broken extends linux-3.13 {\n  gfp { may_compact = order > ; }\n}\n");
        var json = Path.Combine(directory, "out.json");
        File.WriteAllText(json, "{ \"previous\": true }");

        var result = PolicycProcess.Run("run", policy, "--scenario", "small", "--json", json);

        Assert.True(result.ExitCode == 1, result.ToString());
        Assert.Contains("broken.rpol(2,", result.Stderr);
        Assert.Contains("error RP", result.Stderr);
        Assert.Equal("{ \"previous\": true }", File.ReadAllText(json));
    }
}
