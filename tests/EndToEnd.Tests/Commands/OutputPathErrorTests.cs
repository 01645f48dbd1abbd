using Policyc.EndToEnd.Tests.Fixtures;

namespace Policyc.EndToEnd.Tests.Commands;

/// <summary>
/// Every command that writes a file refuses a path it could never write before doing any work: one
/// line naming the flag, exit 1, no stack trace. /proc takes no new files even for root, so these
/// cannot pass by privilege.
/// </summary>
public sealed class OutputPathErrorTests
{
    const string Policy = "policies/linux-3.13.rpol";
    const string NoFiles = "the filesystem there does not allow creating files";

    public static TheoryData<string[], string> Commands => new()
    {
        { ["run", Policy, "--scenario", "small", "--plot", "/proc/policyc.svg"], $"--plot /proc/policyc.svg: cannot write in '/proc': {NoFiles}" },
        { ["compare", Policy, Policy, "--scenario", "small", "--json", "/proc/policyc.json"], $"--json /proc/policyc.json: cannot write in '/proc': {NoFiles}" },
        { ["sweep", "-p", Policy, "-s", "small", "--seeds", "1", "-o", "/proc/policyc.jsonl"], $"--out /proc/policyc.jsonl: cannot write in '/proc': {NoFiles}" },
        { ["bundle", Policy, "--scenario", "small", "-o", "/proc/policyc.bundle"], $"--out /proc/policyc.bundle: cannot write in '/proc': {NoFiles}" },
        { ["build", Policy, "--out", "/proc"], $"--out /proc: cannot write in it: {NoFiles}" },
        { ["build", Policy, "--emit-cs", "/proc/policyc"], "--emit-cs /proc/policyc: cannot create the directory" },
        { ["build", Policy, "--snapshot", "/proc/policyc", "--accept"], "--snapshot /proc/policyc: cannot create the directory" },
    };

    [Theory]
    [MemberData(nameof(Commands))]
    public void Refuses_an_unwritable_output_before_any_work(string[] args, string message)
    {
        var result = PolicycProcess.Run(args);
        Assert.True(result.ExitCode == 1, result.ToString());
        Assert.Contains($"policyc: error: {message}", result.Stderr);
        Assert.DoesNotContain("   at ", result.Stderr);
        Assert.DoesNotContain("simulated", result.Stderr);
        Assert.DoesNotContain("internal error", result.Stderr);
    }
}
