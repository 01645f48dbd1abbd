using Policyc.Compiler.Binding;
using Policyc.Compiler.Formatting;
using Policyc.Robustness.Tests.Support;

namespace Policyc.Robustness.Tests.FrontEnd;

/// <summary>
/// Inputs the fuzzers found that once broke a property, reduced by hand and kept here so the bug
/// stays fixed whatever seed the fuzzers draw next.
/// </summary>
public class FoundByFuzzingTests : IDisposable
{
    readonly ScratchDirectory scratch = new();

    public void Dispose() => scratch.Dispose();

    [Fact]
    public void A_comment_inside_a_rule_ends_the_aligned_run_on_the_first_fmt()
    {
        // The comment moves above its rule; on a second fmt that comment line ended the run, so
        // 'kmem_retry_wait' lost its alignment: fmt was not idempotent (mutant seed 8HiwkGXYpB81).
        string text = "policy p extends linux-3.13 {\n  xfs {\n    kmem_retry_wait = 1ms;\n    deadlock_warn_every = 1 // note\n      + 2;\n  }\n}\n";
        string once = Formatter.Format(text, "p.rpol")!;
        Assert.Equal(once, Formatter.Format(once, "p.rpol"));
        Assert.Contains("    kmem_retry_wait = 1ms;\n    // note\n    deadlock_warn_every = 1\n", once);
    }

    [Fact]
    public void Test_passes_over_a_directory_it_may_not_read_and_says_so()
    {
        // `policyc test /` met /proc/1/map_files, which even root may not list, and ended as an
        // internal error, exit 70 (command-line seed aUGwadtHPPk2). /proc/1 holds such directories
        // wherever the tests run in a container; where it holds none, the walk must still end cleanly.
        var result = Policyc.EndToEnd.Tests.Fixtures.PolicycProcess.RunIn(scratch.Path, "test", "/proc/1");

        Assert.True(result.ExitCode is 0 or 1, result.ToString());
        Assert.DoesNotContain("internal error", result.Stderr);
        if (HasUnreadableDirectory("/proc/1"))
            Assert.Matches(@"error RP0500: cannot read '/proc/1/[^']+': permission denied(; tests under it| \(and \d+ more directories\); tests under them) were not run", result.Stdout + result.Stderr);
    }

    [Fact]
    public void Sweep_says_when_it_may_not_read_a_policy_directory()
    {
        // Found with the walk above: `sweep -p /proc/1/fdinfo` ended as an internal error too.
        string? unreadable = Directory.EnumerateDirectories("/proc/1").FirstOrDefault(IsUnreadable);
        var result = Policyc.EndToEnd.Tests.Fixtures.PolicycProcess.RunIn(scratch.Path, "sweep", "-p", unreadable ?? "/proc/1", "--duration", "1s");

        Assert.True(result.ExitCode is 0 or 1 or 2, result.ToString());
        Assert.DoesNotContain("internal error", result.Stderr);
        if (unreadable is not null)
            Assert.Contains($"{unreadable}: cannot read the directory: permission denied", result.Stderr);
    }

    static bool HasUnreadableDirectory(string root) => Directory.EnumerateDirectories(root).Any(IsUnreadable);

    static bool IsUnreadable(string directory)
    {
        try
        {
            _ = Directory.EnumerateFileSystemEntries(directory).Count();
            return false;
        }
        catch (UnauthorizedAccessException)
        {
            return true;
        }
        catch (IOException)
        {
            return false;
        }
    }

    [Fact]
    public void A_NUL_in_a_quoted_base_path_is_a_diagnostic_not_an_exception()
    {
        var compilation = PolicyCompilation.FromText("policy q extends \"a\0b\" { }\n", scratch.Combine("q.rpol"));
        Assert.Equal("RP0200", Assert.Single(compilation.Diagnostics, d => d.IsError).Code);
    }

    [Fact]
    public void A_NUL_in_an_unquoted_base_name_is_a_diagnostic_not_an_exception()
    {
        // The parser's error recovery keeps the NUL in the name it reports (mutant seed 0WOd2X1IDq12);
        // the base's file path was then built from it and Path.GetFullPath threw.
        var compilation = PolicyCompilation.FromText("policy q extends linux-3.\013 { }\n", scratch.Combine("q.rpol"));
        Assert.Contains(compilation.Diagnostics, d => d.IsError);
    }

    [Theory]
    [InlineData("name = \"\\", 2, 10)]
    [InlineData("name = \"\\u00", 2, 13)]
    [InlineData("name = \"\"\"\\", 2, 12)]
    public void A_TOML_file_ending_inside_an_escape_is_an_error_at_its_end(string line, int atLine, int atColumn)
    {
        // Tomlyn's lexer threw ArgumentOutOfRangeException wording this error (input-file fuzzing,
        // sweep seed 9XYBFtD9-x91): policyc run and sweep ended as internal errors, exit 70.
        string path = scratch.Combine("s.toml");
        File.WriteAllText(path, "base = \"small\"\n" + line);
        var e = Assert.Throws<Policyc.Runtime.Scenarios.ScenarioException>(() => Policyc.Runtime.Scenarios.ScenarioReader.Load(path));
        Assert.Equal($"{path}({atLine},{atColumn}): invalid TOML: the file ends inside an escape sequence of a string", e.Message);
    }

    [Theory]
    [InlineData("a\0b.rpol", "is not a relative path")]
    [InlineData("a//b.rpol", "is not a relative path")]
    [InlineData("./b.rpol", "is not a relative path")]
    public void A_bundled_path_that_cannot_be_unpacked_is_a_bundle_error(string bundled, string message)
    {
        // A NUL in a bundled file's path reached File.WriteAllText, which threw ArgumentException
        // (bundle seed 6RM3eIOZUb11): policyc run on the bundle ended as an internal error.
        var bundle = new Policyc.Compiler.Bundling.Bundle("fix.rpol", "small", 1, null, [],
            [new("fix.rpol", "policy fix { }\n"), new(bundled, "x\n")]);
        var e = Assert.Throws<Policyc.Compiler.Bundling.BundleException>(() => Policyc.Compiler.Bundling.BundleFiles.Unpack(bundle, scratch.Combine("replay")));
        Assert.Contains(message, e.Message);
    }

    [Fact]
    public void A_bundled_base_hundreds_of_levels_up_is_a_bundle_error_not_a_path_too_long()
    {
        string deep = string.Concat(Enumerable.Repeat("../", 1000)) + "b.rpol";
        var bundle = new Policyc.Compiler.Bundling.Bundle("fix.rpol", "small", 1, null, [],
            [new("fix.rpol", "policy fix { }\n"), new(deep, "x\n")]);
        var e = Assert.Throws<Policyc.Compiler.Bundling.BundleException>(() => Policyc.Compiler.Bundling.BundleFiles.Unpack(bundle, scratch.Combine("replay")));
        Assert.Contains("a bundled file sits 1000 directories above the policy", e.Message);
    }

    [Fact]
    public void Bundled_paths_that_cannot_both_exist_are_a_bundle_error()
    {
        var bundle = new Policyc.Compiler.Bundling.Bundle("fix.rpol", "small", 1, null, [],
            [new("fix.rpol", "policy fix { }\n"), new("a", "x\n"), new("a/b.rpol", "y\n")]);
        var e = Assert.Throws<Policyc.Compiler.Bundling.BundleException>(() => Policyc.Compiler.Bundling.BundleFiles.Unpack(bundle, scratch.Combine("replay")));
        Assert.Contains("bundled file 'a/b.rpol' cannot be unpacked", e.Message);
    }
}
