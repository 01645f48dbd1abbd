using Policyc.EndToEnd.Tests.Fixtures;

namespace Policyc.EndToEnd.Tests.Commands;

/// <summary>
/// A NAME.test.rpol beside its policy holds tests only. Commands that need a policy say so and point to
/// `policyc test`; the ones given a glob (`build policies/*.rpol`, `compare policies/fix-*.rpol`) pass over it.
/// </summary>
public sealed class TestFileTests
{
    const string TestFile = "policies/linux-3.13.test.rpol";

    [Fact]
    public void Run_on_a_test_file_says_to_use_policyc_test()
    {
        var result = PolicycProcess.Run("run", TestFile, "--scenario", "small");
        Assert.True(result.ExitCode == 1, result.ToString());
        Assert.Contains($"policyc: error: {TestFile}: holds tests, not a policy; run them with `policyc test {TestFile}`", result.Stderr);
        Assert.DoesNotContain("has errors", result.Stderr);
    }

    [Fact]
    public void Build_over_a_glob_passes_over_the_test_files_and_succeeds()
    {
        var files = Directory.GetFiles(Path.Combine(PolicycProcess.RepositoryRoot, "policies"), "*.rpol")
            .Select(f => Path.GetRelativePath(PolicycProcess.RepositoryRoot, f)).Order().ToArray();
        Assert.Contains(files, f => f.EndsWith(".test.rpol"));
        var result = PolicycProcess.Run(["build", .. files]);
        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Contains($"{TestFile}: tests only, nothing to build", result.Stdout + result.Stderr);
        Assert.Contains("built linux-3.13", result.Stdout + result.Stderr);
    }

    [Fact]
    public void Compare_skips_a_test_file_with_a_note_and_compares_the_rest()
    {
        var result = PolicycProcess.Run("compare", "policies/linux-3.13.rpol", TestFile, "--scenario", "small", "--duration", "20s");
        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Contains($"policyc: skipping {TestFile}: it holds tests, not a policy", result.Stderr);
        Assert.Contains("linux-3.13", result.Stdout);
    }
}
