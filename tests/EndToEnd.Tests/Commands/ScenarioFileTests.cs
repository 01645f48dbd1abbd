using Policyc.EndToEnd.Tests.Fixtures;

namespace Policyc.EndToEnd.Tests.Commands;

/// <summary>Scenarios from files, with flags on top, as a user writes them.</summary>
public sealed class ScenarioFileTests : IDisposable
{
    readonly string directory = Directory.CreateTempSubdirectory("policyc-scenario-").FullName;

    public void Dispose() => Directory.Delete(directory, recursive: true);

    [Fact]
    public void A_toml_scenario_starts_from_its_base_and_flags_override_it()
    {
        var file = Path.Combine(directory, "tiny.toml");
        File.WriteAllText(file, "base = \"small\"\nworkers = 2\nduration = \"5s\"\n");

        var result = PolicycProcess.Run("run", "policies/linux-3.13.rpol", "--scenario", file, "--seed", "9");

        Assert.True(result.ExitCode == 0, result.ToString());
        var summary = result.Stdout.Split('\n')[0];
        Assert.StartsWith("scenario tiny:", summary);   // a file scenario is named after its file
        Assert.Contains("2 rm workers", summary);
        Assert.Contains("up to 5.0 s", summary);
        Assert.EndsWith("seed 9", summary.TrimEnd());
    }

    [Fact]
    public void A_bad_value_in_a_scenario_file_is_reported_at_its_position()
    {
        var file = Path.Combine(directory, "bad.toml");
        File.WriteAllText(file, "base = \"small\"\nmem = \"lots\"\n");

        var result = PolicycProcess.Run("run", "policies/linux-3.13.rpol", "--scenario", file);

        Assert.True(result.ExitCode == 1, result.ToString());
        Assert.Contains($"policyc: error: {file}(2,", result.Stderr);
        Assert.Contains("mem", result.Stderr);
        Assert.DoesNotContain("   at ", result.Stderr);
    }

    [Fact]
    public void A_missing_scenario_file_exits_1() =>
        Assert.Equal(1, PolicycProcess.Run("run", "policies/linux-3.13.rpol", "--scenario", Path.Combine(directory, "none.json")).ExitCode);
}
