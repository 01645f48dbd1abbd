using System.Text;
using System.Text.Json;
using Policyc.EndToEnd.Tests.Fixtures;
using Policyc.Robustness.Tests.Support;

namespace Policyc.Robustness.Tests.FrontEnd;

/// <summary>
/// The built policyc on bad files, as a user runs it: exit code 1 and diagnostics, never a stack
/// trace or another exit code. One process per command keeps this fast; the files go in together.
/// </summary>
public class ProcessExitCodeTests : IDisposable
{
    readonly ScratchDirectory scratch = new();
    readonly string[] files;

    public ProcessExitCodeTests()
    {
        Directory.CreateDirectory(scratch.Combine("dir.rpol"));
        files =
        [
            scratch.Write("empty.rpol", ""),
            scratch.WriteBytes("latin1.rpol", [.. Encoding.ASCII.GetBytes("policy p extends linux-3.13 { } // caf"), 0xE9, 0x0A]),
            scratch.Write("deep.rpol", "policy p extends linux-3.13 { xfs { deadlock_warn_every = " + new string('(', 10_000) + "1" + new string(')', 10_000) + "; } }\n"),
            scratch.Write("junk.rpol", new string('@', 200_000)),
            scratch.Write("nul.rpol", "policy p extends linux-3.13 {\0}\n"),
            scratch.Write("cycle.rpol", "policy cycle extends cycle { }\n"),
            scratch.Combine("dir.rpol"),
            scratch.Combine("missing.rpol"),
            .. Enumerable.Range(0, 3).Select(i => scratch.Write($"mutant{i}.rpol", Mutant(i))),
        ];
    }

    public void Dispose() => scratch.Dispose();

    /// <summary>A shipped policy cut off part-way: the closing brace is always missing.</summary>
    static string Mutant(int i)
    {
        string text = Repository.ShippedPolicies[(3 * i) % Repository.ShippedPolicies.Count].Text;
        return text[..(text.Length * (i + 1) / 4)];
    }

    static void AssertRejectedCleanly(PolicycResult result)
    {
        Assert.True(result.ExitCode == 1, result.ToString());
        Assert.DoesNotContain("Unhandled exception", result.Stderr, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", result.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public void Check_rejects_every_bad_file_with_exit_code_1_and_a_diagnostic_for_each()
    {
        var result = PolicycProcess.RunIn(scratch.Path, ["check", .. files]);
        AssertRejectedCleanly(result);
        foreach (string file in files)
            Assert.Contains(file + "(", result.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public void Check_json_gives_every_diagnostic_a_valid_position()
    {
        var result = PolicycProcess.RunIn(scratch.Path, ["check", "--json", .. files]);
        AssertRejectedCleanly(result);
        using var json = JsonDocument.Parse(result.Stdout);
        var reported = new HashSet<string>();
        foreach (var d in json.RootElement.EnumerateArray())
        {
            Assert.Matches("^RP[0-9]{4}$", d.GetProperty("code").GetString());
            Assert.True(d.GetProperty("line").GetInt32() >= 1 && d.GetProperty("column").GetInt32() >= 1, d.ToString());
            Assert.True(d.GetProperty("start").GetInt32() >= 0 && d.GetProperty("length").GetInt32() >= 0, d.ToString());
            reported.Add(d.GetProperty("file").GetString()!);
        }
        Assert.Superset(files.ToHashSet(), reported);
    }

    [Fact]
    public void Build_and_fmt_reject_bad_files_with_exit_code_1_and_fmt_leaves_them_untouched()
    {
        byte[] before = File.ReadAllBytes(files[1]);
        AssertRejectedCleanly(PolicycProcess.RunIn(scratch.Path, ["build", .. files]));
        AssertRejectedCleanly(PolicycProcess.RunIn(scratch.Path, ["fmt", .. files]));
        Assert.Equal(before, File.ReadAllBytes(files[1]));
    }

    [Fact]
    public void Test_refuses_a_test_file_that_is_not_UTF8_at_its_first_bad_byte()
    {
        scratch.WriteBytes("linux-3.13.test.rpol",
            [.. Encoding.ASCII.GetBytes("test \"t\" {\n  expect may_oom == true; // caf"), 0xE9, .. Encoding.ASCII.GetBytes("\n}\n")]);
        var result = PolicycProcess.RunIn(scratch.Path, "test", "linux-3.13.test.rpol");
        AssertRejectedCleanly(result);
        Assert.Contains("linux-3.13.test.rpol(2,33): error RP0500: cannot read 'linux-3.13.test.rpol': the file is not UTF-8 text", result.Stdout + result.Stderr);
        Assert.Contains("0 passed, 0 failed, 1 error in test files", result.Stdout);
    }

    [Fact]
    public void A_bundle_that_is_not_UTF8_is_refused_at_its_byte_and_not_replayed()
    {
        string bundle = scratch.Combine("fix.bundle");
        var written = PolicycProcess.Run("bundle", "policies/fix-swap-lowest-bit.rpol", "--scenario", "small", "--duration", "2s", "--out", bundle);
        Assert.True(written.ExitCode == 0, written.ToString());
        byte[] bytes = File.ReadAllBytes(bundle);
        int comment = bytes.AsSpan().IndexOf("// a5998061daab"u8);
        bytes[comment + 1] = 0xFF;
        File.WriteAllBytes(bundle, bytes);

        var result = PolicycProcess.RunIn(scratch.Path, "run", "fix.bundle");
        AssertRejectedCleanly(result);
        Assert.Matches(@"fix\.bundle\(\d+,2\): cannot read the bundle: the file is not UTF-8 text: byte 0xFF", result.Stderr);
        Assert.DoesNotContain("replay:", result.Stdout);
    }
}
