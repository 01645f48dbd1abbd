using Policyc.EndToEnd.Tests.Fixtures;

namespace Policyc.EndToEnd.Tests.Commands;

public class UsageTests
{
    [Fact]
    public void No_command_is_a_usage_error()
    {
        var result = PolicycProcess.Run();
        Assert.True(result.ExitCode == 2, result.ToString());
        Assert.Contains("policyc: error:", result.Stderr);
    }

    [Fact]
    public void An_unknown_flag_is_a_usage_error_on_one_line_without_a_stack_trace()
    {
        var result = PolicycProcess.Run("--no-such-flag");
        Assert.True(result.ExitCode == 2, result.ToString());
        Assert.Contains("policyc: error: Unrecognized command or argument '--no-such-flag'", result.Stderr);
        Assert.DoesNotContain("   at ", result.Stderr);
    }

    [Theory]
    [InlineData("build", "--bogus")]
    [InlineData("check", "--bogus")]
    [InlineData("fmt", "--bogus")]
    [InlineData("run", "--bogus")]
    [InlineData("compare", "--bogus", "policies/linux-3.13.rpol")]
    [InlineData("test", "--bogus")]
    [InlineData("diff", "--bogus", "policies/linux-3.13.rpol")]
    [InlineData("bundle", "-b")]
    [InlineData("sweep", "merge", "--bogus")]
    public void An_unknown_flag_where_a_path_goes_is_a_usage_error_not_a_missing_file(params string[] args)
    {
        // A path argument used to take it: "--bogus: no such policy file", exit 1.
        var result = PolicycProcess.Run(args);
        Assert.True(result.ExitCode == 2, result.ToString());
        Assert.Contains($"policyc: error: unknown option '{args.First(a => a.StartsWith('-'))}'", result.Stderr);
    }

    [Fact]
    public void Accept_without_a_snapshot_directory_is_a_usage_error()
    {
        // It used to build and exit 0, approving nothing.
        var result = PolicycProcess.Run("build", "policies/linux-3.13.rpol", "--accept");
        Assert.True(result.ExitCode == 2, result.ToString());
        Assert.Contains("policyc: error: --accept approves snapshots: give --snapshot DIR with it", result.Stderr);
    }

    [Theory]
    [InlineData("--jobs many: expected a whole number from 1", "sweep", "--policy", "policies/linux-3.13.rpol", "--jobs", "many")]
    [InlineData("--jobs 0: expected a whole number from 1", "sweep", "--policy", "policies/linux-3.13.rpol", "-j", "0")]
    [InlineData("--seed -3: expected a whole number from 0", "bundle", "policies/linux-3.13.rpol", "--seed", "-3")]
    [InlineData("--threshold 101: expected a percentage from 0 to 100", "test", "policies", "--threshold", "101")]
    [InlineData("--shard 0/2: expected I/N", "sweep", "--policy", "policies/linux-3.13.rpol", "--shard", "0/2")]
    [InlineData("seeds '2-1': the range '2-1' goes down; write 1-2", "sweep", "--policy", "policies/linux-3.13.rpol", "--seeds", "2-1")]
    [InlineData("duration: 'soon' is not a duration", "sweep", "--policy", "policies/linux-3.13.rpol", "--duration", "soon")]
    public void A_bad_number_names_the_flag_and_what_it_takes(string message, params string[] args)
    {
        // The parser's own message named 'System.Nullable`1[System.Int32]'.
        var result = PolicycProcess.Run(args);
        Assert.True(result.ExitCode == 2, result.ToString());
        Assert.Contains("policyc: error: " + message, result.Stderr);
        Assert.DoesNotContain("System.", result.Stderr);
    }

    [Fact]
    public void Help_lists_the_commands_and_exits_zero()
    {
        var result = PolicycProcess.Run("--help");
        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Contains("Usage:", result.Stdout);
    }

    [Theory]
    [InlineData("an empty FILE", "check", "policies/linux-3.13.rpol", "")]
    [InlineData("an empty POLICY", "run", "")]
    [InlineData("--json: '' is no file name", "run", "policies/linux-3.13.rpol", "--scenario", "small", "--json", "")]
    [InlineData("--emit-cs: '' is no directory name", "build", "policies/linux-3.13.rpol", "--emit-cs", "")]
    [InlineData("--policy: '' is no file name", "sweep", "-p", "")]
    public void An_empty_path_is_a_usage_error_not_an_internal_one(string message, params string[] args)
    {
        // An empty word (an unset shell variable) reached Path.GetFullPath, which threw: exit 70.
        var result = PolicycProcess.Run(args);
        Assert.True(result.ExitCode == 2, result.ToString());
        Assert.Contains(message, result.Stderr);
        Assert.DoesNotContain("internal error", result.Stderr);
    }
}
