using System.Text.Json;
using System.Text.Json.Nodes;
using Policyc.Compiler;
using Policyc.Runtime.Policy;
using Policyc.Runtime.Reporting;

namespace Policyc.Robustness.Tests.Support;

/// <summary>Loading policies and comparing run reports, for the runtime's robustness tests.</summary>
static class Runs
{
    public static PolicyTable Load(string path, bool interpret, string? cacheDirectory = null)
    {
        var result = PolicyLoader.Load(path, new PolicyLoadOptions { Interpret = interpret, UseCache = cacheDirectory is not null, CacheDirectory = cacheDirectory });
        Assert.True(result.Succeeded, string.Join("\n", result.Diagnostics));
        return result.Table!;
    }

    /// <summary>The report as --json writes it, without the fields that measure the host (wall-clock time).</summary>
    public static string JsonWithoutWallClock(RunReport report)
    {
        var node = JsonNode.Parse(JsonSerializer.Serialize(report, RunReportJson.Default.RunReport))!.AsObject();
        node.Remove("wall_seconds");
        return node.ToJsonString();
    }
}
