using Policyc.EndToEnd.Tests.Fixtures;

namespace Policyc.EndToEnd.Tests.Commands;

/// <summary>
/// Standard output that cannot be written is the user's setup, not a bug: one line on stderr, exit 1.
/// Both cases below ended as internal errors (exit 70).
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
}
