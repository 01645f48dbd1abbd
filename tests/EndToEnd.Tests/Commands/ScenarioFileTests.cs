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
    public void A_run_records_its_scenarios_base_and_every_setting_in_its_report_and_json()
    {
        var file = Path.Combine(directory, "nap.toml");
        var json = Path.Combine(directory, "nap.json");
        File.WriteAllText(file, "base = \"small\"\nname = \"nap\"\nkswapd-nap-wakeup = \"on\"\n");

        var result = PolicycProcess.Run("run", "policies/linux-3.13.rpol", "--scenario", file, "--set", "workers=2", "--duration", "5s", "--json", json);

        Assert.True(result.ExitCode == 0, result.ToString());
        // The file's entries, then the flags, then --set: what `run` needs to make the run again.
        Assert.Equal("settings: small with kswapd-nap-wakeup=on, duration=5s, workers=2", result.Stdout.Split('\n')[1].TrimEnd());
        Assert.Contains("settings small with kswapd-nap-wakeup=on, duration=5s, workers=2", result.Stdout);
        var report = System.Text.Json.JsonDocument.Parse(File.ReadAllText(json)).RootElement;
        Assert.Equal("nap", report.GetProperty("scenario").GetString());
        Assert.Equal("small", report.GetProperty("scenario_base").GetString());
        Assert.Equal(["kswapd-nap-wakeup=on", "duration=5s", "workers=2"],
            report.GetProperty("scenario_settings").EnumerateArray().Select(e => e.GetString()!).ToArray());

        // A built-in as it is says nothing more than its name.
        var plain = PolicycProcess.Run("run", "policies/linux-3.13.rpol", "--scenario", "small", "--json", json);
        Assert.True(plain.ExitCode == 0, plain.ToString());
        Assert.DoesNotContain("settings", plain.Stdout);
        Assert.Empty(System.Text.Json.JsonDocument.Parse(File.ReadAllText(json)).RootElement.GetProperty("scenario_settings").EnumerateArray());
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
