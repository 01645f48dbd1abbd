using Policyc.Runtime.Policy;
using Spectre.Console;
using Spectre.Console.Rendering;

namespace Policyc.Cli.Rendering;

/// <summary>
/// <c>--explain</c>: which rule decided each hook in this run, where it is written (so a base policy's
/// rule and an override are told apart), and where the kernel makes that decision. Two lines per hook
/// (hook, kernel site, position; then the rule's text), so a long rule never stretches a table.
/// </summary>
public static class ExplainView
{
    sealed record Entry(string Hook, string KernelSite, RuleOrigin? Origin);

    public static IRenderable Render(PolicyTable table)
    {
        var entries = HookCatalog.All
            .Where(h => h.Section != PolicySection.Shrinker)
            .Select(h => new Entry(h.QualifiedName, h.KernelSite, table.OriginOf(h.Id)))
            .ToList();
        foreach (var section in table.ShrinkerSections)
            foreach (var hook in HookCatalog.All.Where(h => h.Section == PolicySection.Shrinker && section.Rules.ContainsKey(h.Id)))
                entries.Add(new Entry($"shrinker \"{section.Pattern}\".{hook.Name}", hook.KernelSite, section.Origins.GetValueOrDefault(hook.Id)));

        int hookWidth = entries.Max(e => e.Hook.Length) + 2;
        int siteWidth = entries.Max(e => e.KernelSite.Length) + 2;
        var lines = new List<IRenderable>
        {
            PlainTable.Heading($"Rules of {string.Join(" ← ", table.Lineage)}"),
            new Text("Shrinker sections are listed in the order they are tried; each hook comes from the first section whose pattern matches.\n",
                Style.Parse(PlainTable.ReferenceStyle)),
        };
        foreach (var entry in entries)
        {
            lines.Add(new Text(entry.Hook.PadRight(hookWidth) + entry.KernelSite.PadRight(siteWidth) + Where(entry.Origin)));
            lines.Add(new Text("    " + RuleText(entry.Origin), Style.Parse(PlainTable.ReferenceStyle)));
        }
        return new Rows(lines);
    }

    // The rule's own text with whitespace folded, so a conditional written over several lines stays on one.
    internal static string RuleText(RuleOrigin? origin) =>
        origin is null ? "(no source: built in)" : string.Join(' ', origin.Text.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries));

    internal static string Where(RuleOrigin? origin) => origin is null ? "" : $"{origin} in {origin.Policy}";
}
