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
        // Found only when the report was written, after the run.
        { ["run", Policy, "--scenario", "small", "--json", LongName], $"--json {LongName}: the file name is longer than 255 bytes" },
    };

    static readonly string LongName = new string('a', 251) + ".json";

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

    public static TheoryData<string[], string, string> Inputs => new()
    {
        { ["run", "p.rpol", "--scenario", "small", "--json", "p.rpol"], "--json p.rpol: this command reads that file", "p.rpol" },
        { ["run", "p.rpol", "--scenario", "s.json", "--json", "s.json"], "--json s.json: this command reads that file", "s.json" },
        { ["run", "p.rpol", "--scenario", "small", "--json", "link.json"], "--json link.json: this command reads that file", "p.rpol" },
        { ["run", "p.rpol", "--scenario", "small", "--json", "other.rpol"], "--json other.rpol: is a policy", "other.rpol" },
        { ["compare", "p.rpol", "other.rpol", "--scenario", "small", "--json", "other.rpol"], "--json other.rpol: this command reads that file", "other.rpol" },
        { ["bundle", "p.rpol", "--scenario", "small", "-o", "p.rpol"], "--out p.rpol: this command reads that file", "p.rpol" },
        { ["sweep", "-p", "p.rpol", "-s", "s.json", "-o", "s.json"], "--out s.json: this command reads that file", "s.json" },
    };

    [Theory]
    [MemberData(nameof(Inputs))]
    public void Refuses_to_write_over_a_file_the_command_reads_or_a_policy(string[] args, string message, string untouched)
    {
        // run p.rpol --json p.rpol used to replace the policy with the report.
        var directory = Directory.CreateTempSubdirectory("policyc-inputs-").FullName;
        try
        {
            File.WriteAllText(Path.Combine(directory, "p.rpol"), $"policy p extends \"{Path.Combine(PolicycProcess.RepositoryRoot, Policy)}\" {{ }}\n");
            File.WriteAllText(Path.Combine(directory, "other.rpol"), $"policy other extends \"{Path.Combine(PolicycProcess.RepositoryRoot, Policy)}\" {{ }}\n");
            File.WriteAllText(Path.Combine(directory, "s.json"), "{\"base\": \"small\", \"duration\": \"1s\"}");
            File.CreateSymbolicLink(Path.Combine(directory, "link.json"), "p.rpol");
            string before = File.ReadAllText(Path.Combine(directory, untouched));

            var result = PolicycProcess.RunIn(directory, args);

            Assert.True(result.ExitCode == 2, result.ToString());
            Assert.Contains($"policyc: error: {message}", result.Stderr);
            Assert.Equal(before, File.ReadAllText(Path.Combine(directory, untouched)));
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }

    [Theory]
    [InlineData("sweep", "-p", Policy, "-s", "small", "--seeds", "1", "-o", "-")]
    [InlineData("sweep", "-p", Policy, "-s", "small", "--seeds", "1", "--db", "-")]
    [InlineData("bundle", Policy, "--scenario", "small", "-o", "-")]
    [InlineData("build", Policy, "--emit-cs", "-")]
    public void A_dash_is_standard_output_for_json_only_and_never_a_file_named_dash(params string[] args)
    {
        var directory = Directory.CreateTempSubdirectory("policyc-dash-").FullName;
        try
        {
            string[] inRepository = [.. args.Select(a => a == Policy ? Path.Combine(PolicycProcess.RepositoryRoot, Policy) : a)];
            var result = PolicycProcess.RunIn(directory, inRepository);
            Assert.True(result.ExitCode == 2, result.ToString());
            Assert.Contains("-: this flag needs a", result.Stderr);
            Assert.Empty(Directory.EnumerateFileSystemEntries(directory));
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }

    [Fact]
    public void Json_to_a_dash_puts_only_the_report_json_on_standard_output_and_the_console_report_on_standard_error()
    {
        var run = PolicycProcess.Run("run", Policy, "--scenario", "small", "--duration", "2s", "--json", "-");
        Assert.True(run.ExitCode == 0, run.ToString());
        using (var json = System.Text.Json.JsonDocument.Parse(run.Stdout))
            Assert.Equal("timeout", json.RootElement.GetProperty("verdict").GetString());
        Assert.Contains("── Verdict ──", run.Stderr);
        Assert.DoesNotContain("policyc: wrote", run.Stderr);
        Assert.False(File.Exists(Path.Combine(PolicycProcess.RepositoryRoot, "-")));

        var compare = PolicycProcess.Run("compare", Policy, "policies/linux-modern.rpol", "--scenario", "small", "--duration", "2s", "--json", "-");
        Assert.True(compare.ExitCode == 0, compare.ToString());
        using (var json = System.Text.Json.JsonDocument.Parse(compare.Stdout))
            Assert.Equal(2, json.RootElement.GetProperty("runs").GetArrayLength());
    }
}
