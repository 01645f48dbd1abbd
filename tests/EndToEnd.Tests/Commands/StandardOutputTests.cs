using Policyc.EndToEnd.Tests.Fixtures;

namespace Policyc.EndToEnd.Tests.Commands;

/// <summary>
/// Standard output or error that cannot be written is the user's setup, not a bug. A full or closed
/// stdout is one line on stderr and exit 1 (it was an internal error, exit 70); a full stderr is
/// dropped and the exit code still tells (it aborted the process, exit 134).
/// </summary>
public sealed class StandardOutputTests
{
    public static TheoryData<string, string[], string> Cases => new()
    {
        { "> /dev/full", ["check", "policies/linux-3.13.rpol"], "cannot write to standard output: No space left on device" },
        { "> /dev/full", ["run", "policies/linux-3.13.rpol", "--scenario", "small", "--json", "-"], "cannot write to standard output: No space left on device" },
        { ">&-", ["check", "policies/linux-3.13.rpol"], "cannot write to standard output: it is closed or not writable" },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void A_full_or_closed_standard_output_is_one_error_line(string redirection, string[] args, string message)
    {
        if (!OperatingSystem.IsLinux())
            return; // /dev/full is Linux's
        var result = PolicycProcess.RunWithRedirection(redirection, args);
        Assert.True(result.ExitCode == 1, result.ToString());
        Assert.Contains($"policyc: error: {message}", result.Stderr);
        Assert.DoesNotContain("internal error", result.Stderr);
    }

    [Theory]
    [InlineData(1, new[] { "check", "policies/nosuch.rpol" })]
    [InlineData(0, new[] { "run", "policies/linux-3.13.rpol", "--scenario", "small", "--duration", "5s" })]
    public void A_full_standard_error_is_dropped_and_the_exit_code_still_tells(int exitCode, string[] args)
    {
        // Reporting an error to a full stderr threw inside the error handler: the process aborted (134).
        if (!OperatingSystem.IsLinux())
            return;
        var result = PolicycProcess.RunWithRedirection("> /dev/null 2> /dev/full", args);
        Assert.Equal(exitCode, result.ExitCode);
    }
}
