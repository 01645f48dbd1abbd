using System.Text.RegularExpressions;
using Policyc.Compiler.Testing;
using Policyc.Compiler.Tests.Support;

namespace Policyc.Compiler.Tests.Testing;

public class RunMetricTests
{
    /// <summary>
    /// Every verdict docs/run-json.md lists for a run report is one a scenario test can name. (An "oom"
    /// run once read as -1, and the failure message then indexed the list with it.)
    /// </summary>
    [Fact]
    public void Every_verdict_a_report_can_carry_has_a_name_in_tests()
    {
        string schema = File.ReadAllText(Path.Combine(Repository.Root, "docs", "run-json.md"));
        var line = Regex.Match(schema, "\"verdict\": \"[a-z-]+\",\\s*// ([a-z| -]+)");
        Assert.True(line.Success, "docs/run-json.md no longer lists the verdicts on the verdict line");
        var verdicts = line.Groups[1].Value.Split('|', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
        Assert.Contains("oom", verdicts);
        foreach (var verdict in verdicts)
            Assert.Contains(verdict.Replace('-', '_'), RunMetric.Verdicts);
        Assert.Equal(verdicts.Length, RunMetric.Verdicts.Count);
    }
}
