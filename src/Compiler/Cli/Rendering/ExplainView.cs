using Policyc.Runtime.Policy;
using Spectre.Console;
using Spectre.Console.Rendering;

namespace Policyc.Cli.Rendering;

/// <summary>
/// <c>--explain</c>: which rule decided each hook in this run, where it is written (so a base policy's
/// rule and an override are told apart), and where the kernel makes that decision.
/// </summary>
public static class ExplainView
{
    public static IRenderable Render(PolicyTable table)
    {
        var grid = PlainTable.Create(("HOOK", Justify.Left), ("KERNEL SITE", Justify.Left), ("RULE", Justify.Left), ("WRITTEN AT", Justify.Left));
        foreach (var hook in HookCatalog.All.Where(h => h.Section != PolicySection.Shrinker))
            grid.AddRow(null, hook.QualifiedName, hook.KernelSite, RuleText(table.OriginOf(hook.Id)), Where(table.OriginOf(hook.Id)));

        foreach (var section in table.ShrinkerSections)
            foreach (var hook in HookCatalog.All.Where(h => h.Section == PolicySection.Shrinker && section.Rules.ContainsKey(h.Id)))
            {
                section.Origins.TryGetValue(hook.Id, out var origin);
                grid.AddRow(null, $"shrinker \"{section.Pattern}\".{hook.Name}", hook.KernelSite, RuleText(origin), Where(origin));
            }

        return new Rows(
            PlainTable.Heading($"Rules of {string.Join(" ← ", table.Lineage)}"),
            new Text("Shrinker sections are tried in this order; each hook comes from the first section whose pattern matches.\n",
                Style.Parse(PlainTable.ReferenceStyle)),
            grid);
    }

    // One line per rule: the rule's own text, whitespace folded, so a long conditional stays readable in a table.
    static string RuleText(RuleOrigin? origin) =>
        origin is null ? "(built in)" : string.Join(' ', origin.Text.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries));

    static string Where(RuleOrigin? origin) =>
        origin is null ? "" : origin.Policy == "" ? origin.ToString() : $"{origin} in {origin.Policy}";
}
