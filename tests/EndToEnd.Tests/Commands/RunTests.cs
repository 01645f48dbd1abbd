using System.Diagnostics;
using System.Text.Json;
using Policyc.EndToEnd.Tests.Fixtures;

namespace Policyc.EndToEnd.Tests.Commands;

/// <summary>Real runs of the shipped policies on the small scenario (seconds each), as a user types them.</summary>
public sealed class RunTests : IDisposable
{
    readonly string directory = Directory.CreateTempSubdirectory("policyc-run-").FullName;

    public void Dispose() => Directory.Delete(directory, recursive: true);

    [Fact]
    public void Run_prints_the_report_and_writes_json_with_the_schema_and_a_plot()
    {
        var json = Path.Combine(directory, "out.json");
        var plot = Path.Combine(directory, "out.svg");
        File.WriteAllText(json, "previous");

        var result = PolicycProcess.Run("run", "policies/linux-3.13.rpol", "--scenario", "small", "--json", json, "--plot", plot);

        Assert.True(result.ExitCode == 0, result.ToString());
        foreach (var heading in new[] { "scenario small:", "free (KiB)", "slabtop", "perf report", "kernel messages", "kswapd", "── Verdict ──" })
            Assert.Contains(heading, result.Stdout);
        Assert.Contains("OBJS  ACTIVE  USE  OBJ SIZE  SLABS  OBJ/SLAB  CACHE SIZE  NAME", result.Stdout);

        using var report = JsonDocument.Parse(File.ReadAllText(json));
        var root = report.RootElement;
        Assert.Contains(root.GetProperty("verdict").GetString(), new[] { "livelock", "completed", "oom", "timeout" });
        Assert.Equal("small", root.GetProperty("scenario").GetString());
        Assert.Contains(root.GetProperty("livelock").GetProperty("detected").ValueKind, new[] { JsonValueKind.True, JsonValueKind.False });
        _ = root.GetProperty("livelock").GetProperty("onset_s");
        _ = root.GetProperty("livelock").GetProperty("recovered_s");
        _ = root.GetProperty("livelock").GetProperty("ended_by");
        Assert.True(root.GetProperty("progress").GetProperty("files_removed").GetInt64() > 0);
        Assert.True(root.GetProperty("progress").GetProperty("files_total").GetInt64() > 0);
        var end = root.GetProperty("end");
        Assert.True(end.GetProperty("memory").GetProperty("total_kb").GetInt64() > 0);
        Assert.True(end.GetProperty("slab").GetArrayLength() > 0);
        Assert.True(end.GetProperty("profile").GetArrayLength() > 0);
        _ = end.GetProperty("messages");
        _ = end.GetProperty("kswapd").GetProperty("wakeups").GetInt64();
        _ = root.GetProperty("kswapd").GetProperty("slab_objects_freed").GetInt64();
        Assert.True(root.GetProperty("wall_seconds").GetDouble() > 0);
        Assert.Contains("<svg", File.ReadAllText(plot));
        Assert.Empty(Directory.GetFiles(directory, "*.tmp"));
    }

    [Fact]
    public void The_report_reads_the_same_in_a_locale_with_a_decimal_comma()
    {
        // The command is built with invariant globalization, but the environment can turn ICU back
        // on; then, under LANG=de_DE.UTF-8, one rate printed "199,96/s". Every figure is invariant now.
        var english = PolicycProcess.Run("run", "policies/linux-3.13.rpol", "--scenario", "small");
        var german = PolicycProcess.RunWith(PolicycProcess.RepositoryRoot,
            new Dictionary<string, string>
            {
                ["DOTNET_SYSTEM_GLOBALIZATION_INVARIANT"] = "0",
                ["LANG"] = "de_DE.UTF-8",
                ["LC_ALL"] = "de_DE.UTF-8",
            },
            "run", "policies/linux-3.13.rpol", "--scenario", "small");
        static string WithoutWallTime(string text) => System.Text.RegularExpressions.Regex.Replace(text, @"[\d.]+ s of wall time", "");
        if (german.ExitCode != 0 && german.Stderr.Contains("ICU", StringComparison.Ordinal))
            return; // no ICU on this machine: the culture cannot change anything
        Assert.Equal(0, german.ExitCode);
        Assert.Matches(@"requests failed \d+ times \(\d+\.\d+/s\)", german.Stdout);
        Assert.Equal(WithoutWallTime(english.Stdout), WithoutWallTime(german.Stdout));
    }

    [Fact]
    public void Compare_runs_every_policy_on_one_scenario_and_writes_one_report_each()
    {
        var json = Path.Combine(directory, "compare.json");
        var result = PolicycProcess.Run("compare", "policies/linux-3.13.rpol", "policies/fix-swap-lowest-bit.rpol", "--scenario", "small", "--json", json);

        Assert.True(result.ExitCode == 0, result.ToString());
        var header = result.Stdout.Split('\n').First(l => l.Contains("linux-3.13") && l.Contains("fix-swap-lowest-bit") && !l.StartsWith("scenario"));
        Assert.True(header.IndexOf("linux-3.13", StringComparison.Ordinal) < header.IndexOf("fix-swap-lowest-bit", StringComparison.Ordinal));
        foreach (var measure in new[] { "verdict", "livelock onset", "files removed per second", "CPU in reclaim", "CPU in scan_swap_map",
                     "kswapd wakeups", "kswapd slab objects freed", "kswapd asleep / in D state", "deadlock messages per second" })
            Assert.Contains(result.Stdout.Split('\n'), l => l.StartsWith(measure + "  ", StringComparison.Ordinal));

        using var report = JsonDocument.Parse(File.ReadAllText(json));
        Assert.Equal("small", report.RootElement.GetProperty("scenario").GetString());
        var runs = report.RootElement.GetProperty("runs").EnumerateArray().ToList();
        Assert.Equal(["linux-3.13", "fix-swap-lowest-bit"], runs.Select(r => r.GetProperty("policy").GetString()));
        Assert.All(runs, r => Assert.Equal(report.RootElement.GetProperty("seed").GetUInt64(), r.GetProperty("seed").GetUInt64()));
    }

    [Fact]
    public void An_interrupted_run_still_prints_and_writes_what_was_measured()
    {
        var json = Path.Combine(directory, "interrupted.json");
        File.WriteAllText(json, "previous");
        string[] args = ["run", "policies/linux-3.13.rpol", "--scenario", "seed", "--json", json];
        using var process = PolicycProcess.Start(PolicycProcess.RepositoryRoot, args);
        process.StandardInput.Close();
        var stdout = process.StandardOutput.ReadToEndAsync();

        // The first progress line means the simulation is running; then stop it as a service manager would
        // (SIGTERM is handled like Ctrl-C, and unlike SIGINT it is not ignored in background jobs).
        var firstLine = process.StandardError.ReadLine();
        Assert.Contains("simulated", firstLine);
        using (var kill = Process.Start("kill", ["-TERM", process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]))
            kill.WaitForExit();
        var result = PolicycProcess.Wait(process, args, stdout, process.StandardError.ReadToEndAsync());

        Assert.True(result.ExitCode == 130, result.ToString());
        Assert.Contains("policyc: interrupted", result.Stderr);
        Assert.Contains("── Verdict ──", result.Stdout);
        using var report = JsonDocument.Parse(File.ReadAllText(json));
        Assert.Equal("seed", report.RootElement.GetProperty("scenario").GetString());
    }
}
