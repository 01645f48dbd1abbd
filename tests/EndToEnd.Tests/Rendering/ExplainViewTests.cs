using Policyc.Cli.Rendering;
using Policyc.EndToEnd.Tests.Fixtures;
using Policyc.Runtime.Policy;

namespace Policyc.EndToEnd.Tests.Rendering;

public class ExplainViewTests
{
    [Fact]
    public void Every_hook_is_listed_with_its_kernel_site_and_where_its_rule_is_written()
    {
        var text = RenderedText.Of(ExplainView.Render(SampleTables.Constant()));
        foreach (var hook in HookCatalog.All.Where(h => h.Section != PolicySection.Shrinker))
        {
            var line = text.Split('\n').Single(l => l.StartsWith(hook.QualifiedName + " ", StringComparison.Ordinal));
            Assert.Contains(hook.KernelSite, line);
            Assert.EndsWith($"policies/sample.rpol({(int)hook.Id + 1},5) in sample", line);
        }
    }

    [Fact]
    public void Shrinker_sections_appear_in_resolution_order_and_rule_text_is_on_one_line()
    {
        var lines = RenderedText.Of(ExplainView.Render(SampleTables.Constant())).Split('\n');
        var shrinkerLines = lines.Where(l => l.StartsWith("shrinker ", StringComparison.Ordinal)).ToList();
        Assert.StartsWith("shrinker \"sb-*\".action", shrinkerLines[0]);
        Assert.EndsWith("in sample-fix", shrinkerLines[0]);
        Assert.Equal("    action = false;", lines[Array.IndexOf(lines, shrinkerLines[0]) + 1]);
        Assert.All(shrinkerLines.Skip(1), l => Assert.StartsWith("shrinker \"*\".", l));
        Assert.Contains(lines, l => l.Contains("Rules of sample-fix ← sample"));
    }
}
