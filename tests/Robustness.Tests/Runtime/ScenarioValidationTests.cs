using Policyc.EndToEnd.Tests.Fixtures;
using Policyc.Robustness.Tests.Support;
using Policyc.Runtime.Scenarios;

namespace Policyc.Robustness.Tests.Runtime;

/// <summary>Impossible scenarios are refused, naming the field, before anything runs.</summary>
public class ScenarioValidationTests : IDisposable
{
    readonly ScratchDirectory scratch = new();

    public void Dispose() => scratch.Dispose();

    public static readonly TheoryData<string, string> Impossible = new()
    {
        { "mem=0", "mem" },
        { "mem=-1G", "mem" },
        { "swap=-4k", "swap" },
        { "swap=1T", "swap" },
        { "files=0", "files" },
        { "files=-5", "files" },
        { "workers=0", "workers" },
        { "dir-block=48k", "dir-block" },
        { "dir-block=128k", "dir-block" },
        { "dir-block=2k", "dir-block" },
        { "dirent-bytes=8", "dirent-bytes" },
        { "dirent-bytes=44", "dirent-bytes" },
        { "dirent-bytes=280", "dirent-bytes" },
        { "duration=0s", "duration" },
        { "duration=-1s", "duration" },
    };

    [Theory]
    [MemberData(nameof(Impossible))]
    public void Impossible_values_are_refused_naming_the_field(string setting, string field)
    {
        string[] kv = setting.Split('=');
        var e = Assert.ThrowsAny<Exception>(() => BuiltinScenarios.Small.WithOverride(kv[0], kv[1]).Validate());
        Assert.True(e is ScenarioException, e.ToString());
        Assert.Contains(field, e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_value_far_out_of_range_is_quoted_as_given()
    {
        var e = Assert.Throws<ScenarioException>(() => BuiltinScenarios.Small.WithOverride("dirent-bytes", "99999999999999").Validate());
        Assert.Contains("dirent-bytes: 99999999999999 is not a multiple of 8 from 16 to 272", e.Message, StringComparison.Ordinal);
        // Fields kept as 32-bit numbers refuse such a value when it is read, instead of clamping it.
        foreach (var field in new[] { "nodes", "ag-count" })
        {
            e = Assert.Throws<ScenarioException>(() => BuiltinScenarios.Small.WithOverride(field, "99999999999"));
            Assert.Contains("'99999999999' is too large", e.Message, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void More_workers_than_files_is_refused()
    {
        var e = Assert.Throws<ScenarioException>(() => (BuiltinScenarios.Small with { Workers = 8, Files = 3 }).Validate());
        Assert.Contains("workers", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Policyc_run_refuses_before_running_and_leaves_an_earlier_json_alone()
    {
        string json = scratch.Write("previous.json", "{\"kept\": true}");
        var result = PolicycProcess.RunIn(scratch.Path, "run", Repository.Linux313, "--scenario", "small",
            "--workers", "64", "--files", "10", "--dir-block", "48k", "--json", json);
        Assert.True(result.ExitCode is 1 or 2, result.ToString());
        Assert.DoesNotContain("Verdict", result.Stdout, StringComparison.Ordinal);
        Assert.Contains("workers", result.Stderr, StringComparison.Ordinal);
        Assert.Contains("dir-block", result.Stderr, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", result.Stderr, StringComparison.Ordinal);
        Assert.Equal("{\"kept\": true}", File.ReadAllText(json));
    }
}
