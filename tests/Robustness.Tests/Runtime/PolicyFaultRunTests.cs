using System.Text.Json;
using Policyc.EndToEnd.Tests.Fixtures;
using Policyc.Robustness.Tests.Support;
using Policyc.Runtime;
using Policyc.Runtime.Scenarios;

namespace Policyc.Robustness.Tests.Runtime;

/// <summary>
/// A rule that fails part-way through a run ends it with verdict policy-error, names the rule's file,
/// line and column, and keeps everything measured until then, in the report and in --json.
/// </summary>
public class PolicyFaultRunTests : IDisposable
{
    // clock.now / 1s - 5 is zero during the sixth second after boot, a few seconds into the workload.
    const string DivisionByZero =
        "// Divides by a value that reaches zero once the machine has run for five seconds.\n" +
        "policy fault extends linux-3.13 {\n" +
        "  kswapd {\n" +
        "    sleep = base && 1000 / (clock.now / 1s - 5) != 0;\n" +
        "  }\n" +
        "}\n";

    // now * 2^62 overflows as soon as the factor switches on, four seconds after boot.
    const string Overflow =
        "policy overflow extends linux-3.13 {\n" +
        "  kswapd {\n" +
        "    sleep = base && clock.now * (clock.now > 4s ? 4611686018427387904 : 1) > 0;\n" +
        "  }\n" +
        "}\n";

    readonly ScratchDirectory scratch = new();

    public void Dispose() => scratch.Dispose();

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Overflow_ends_the_run_with_the_rule_and_keeps_the_samples(bool interpret)
    {
        var table = Runs.Load(scratch.Write("overflow.rpol", Overflow), interpret);
        var report = Simulation.Run(table, BuiltinScenarios.Small, new RunOptions());
        Assert.Equal("policy-error", report.Verdict);
        var error = report.PolicyError!;
        Assert.Equal(("arithmetic overflow", "overflow.rpol", 3, 5), (error.Message, error.File, error.Line, error.Column));
        Assert.True(error.AtS > 0, $"at {error.AtS} s");
        Assert.NotEmpty(report.Series);
        Assert.True(report.Progress.FilesRemoved > 0);
        Assert.True(report.Progress.FilesRemoved < report.Progress.FilesTotal);
    }

    [Fact]
    public void Division_by_zero_through_policyc_run_exits_1_and_still_writes_the_json()
    {
        string policy = scratch.Write("fault.rpol", DivisionByZero);
        string json = scratch.Combine("fault.json");
        var result = PolicycProcess.RunIn(scratch.Path, "run", policy, "--scenario", "small", "--json", json);

        Assert.True(result.ExitCode == 1, result.ToString());
        Assert.Contains("policy-error", result.Stdout, StringComparison.Ordinal);
        Assert.Contains("fault.rpol(4,5)", result.Stdout, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", result.Stderr, StringComparison.Ordinal);

        using var report = JsonDocument.Parse(File.ReadAllText(json));
        var root = report.RootElement;
        Assert.Equal("policy-error", root.GetProperty("verdict").GetString());
        var error = root.GetProperty("policy_error");
        Assert.Equal("division by zero", error.GetProperty("message").GetString());
        Assert.Equal("fault.rpol", error.GetProperty("file").GetString());
        Assert.Equal(4, error.GetProperty("line").GetInt32());
        Assert.Equal(5, error.GetProperty("column").GetInt32());
        Assert.True(root.GetProperty("series").GetArrayLength() >= 2);
        Assert.True(root.GetProperty("progress").GetProperty("files_removed").GetInt64() > 0);
        Assert.True(root.GetProperty("end").GetProperty("slab").GetArrayLength() > 0);
    }
}
