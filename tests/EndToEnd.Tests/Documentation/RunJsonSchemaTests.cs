using System.Text.Json.Nodes;
using Policyc.Cli.Output;
using Policyc.EndToEnd.Tests.Fixtures;

namespace Policyc.EndToEnd.Tests.Documentation;

/// <summary>
/// docs/run-json.md is the schema a reader of <c>run --json</c> goes by: every key a run report can
/// carry is named there, so a field added to the report without a word in the docs fails here.
/// </summary>
public sealed class RunJsonSchemaTests : IDisposable
{
    readonly string directory = Directory.CreateTempSubdirectory("policyc-schema-").FullName;

    public void Dispose() => Directory.Delete(directory, recursive: true);

    [Fact]
    public void Every_key_of_a_run_with_the_optional_sections_is_documented()
    {
        // small with the switches that add optional sections and fields: the buffer cache, the
        // per-CPU page lists, swap-ins with readahead and swap-cache hits.
        string json = Path.Combine(directory, "run.json");
        var result = PolicycProcess.Run("run", "policies/linux-3.13.rpol", "--scenario", "small", "--duration", "20s",
            "--set", "xfs-buffer-cache=on", "--set", "pcp-lists=on", "--set", "page-cluster=3", "--set", "swap-in-rate=50",
            "--set", "swap-cache-faults=on", "--json", json);
        Assert.True(result.ExitCode == 0, result.ToString());
        AssertDocumented(JsonNode.Parse(File.ReadAllText(json))!);
    }

    [Fact]
    public void Every_key_of_a_report_with_the_seeds_bounds_is_documented()
    {
        string json = Path.Combine(directory, "seed.json");
        ReportFiles.WriteJson(json, SampleReports.SeedLivelock());
        var report = JsonNode.Parse(File.ReadAllText(json))!;
        Assert.NotNull(report["report_bounds"]);
        AssertDocumented(report);
    }

    static void AssertDocumented(JsonNode report)
    {
        string schema = File.ReadAllText(Path.Combine(PolicycProcess.RepositoryRoot, "docs", "run-json.md"));
        var keys = new SortedSet<string>(StringComparer.Ordinal);
        Collect(report, keys);
        Assert.True(keys.Count > 50, $"only {keys.Count} keys: {string.Join(", ", keys)}");
        var undocumented = keys.Where(key => !schema.Contains($"\"{key}\"", StringComparison.Ordinal)).ToList();
        Assert.True(undocumented.Count == 0, $"not in docs/run-json.md: {string.Join(", ", undocumented)}");
    }

    static void Collect(JsonNode? node, ISet<string> keys)
    {
        switch (node)
        {
            case JsonObject o:
                foreach (var (key, value) in o)
                {
                    keys.Add(key);
                    Collect(value, keys);
                }
                break;
            case JsonArray a:
                foreach (var item in a)
                    Collect(item, keys);
                break;
        }
    }
}
