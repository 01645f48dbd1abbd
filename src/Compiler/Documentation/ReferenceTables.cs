using System.Text;
using Policyc.Compiler.Binding;
using Policyc.Compiler.Diagnostics;
using Policyc.Runtime.Policy;

namespace Policyc.Compiler.Documentation;

/// <summary>
/// The parts of docs/language.md and docs/diagnostics.md that come from the contract and the
/// code table, generated so the docs cannot fall behind: a test compares them with the files.
/// </summary>
public static class ReferenceTables
{
    /// <summary>Every hook by section: rule name, type, the groups it may read, the kernel site.</summary>
    public static string Rules()
    {
        var sb = new StringBuilder();
        foreach (var section in Enum.GetValues<PolicySection>())
        {
            string name = HookCatalog.SectionName(section);
            sb.Append($"### `{(section == PolicySection.Shrinker ? "shrinker \"PATTERN\"" : name)}`\n\n");
            sb.Append("| rule | type | kernel site | meaning |\n| --- | --- | --- | --- |\n");
            var hooks = HookCatalog.All.Where(h => h.Section == section).ToArray();
            foreach (var hook in hooks)
                sb.Append($"| `{hook.Name}` | {TypeName(hook.Returns)} | {Cell(hook.KernelSite)} | {Cell(hook.Doc)} |\n");
            // Most sections read alike; where rules differ, each set of rules gets its own line.
            var byReads = hooks.GroupBy(h => h.Reads).ToArray();
            foreach (var rules in byReads)
            {
                string who = byReads.Length == 1 ? "May read" : $"{string.Join(", ", rules.Select(h => $"`{h.Name}`"))} may read";
                var groups = ContextSymbols.Readable(rules.Key).Select(g => $"`{g}`").ToArray();
                sb.Append($"\n{who}: {(groups.Length == 0 ? "nothing" : string.Join(", ", groups))}.\n");
            }
            sb.Append('\n');
        }
        return sb.ToString();
    }

    /// <summary>Every readable field and function, by group.</summary>
    public static string Context()
    {
        var sb = new StringBuilder();
        foreach (var group in ContextSymbols.Groups)
        {
            sb.Append($"### `{group.Name}`{(group.Unqualified ? " (fields may be written without `" + group.Name + ".`)" : "")}\n\n");
            sb.Append(Cell(group.Doc)).Append("\n\n");
            sb.Append("| name | type | meaning |\n| --- | --- | --- |\n");
            foreach (var field in ContextSymbols.Fields.Where(f => f.Group == group))
                sb.Append($"| `{group.Name}.{field.Name}` | {TypeName(field.Type)} | {Cell(field.Doc)} |\n");
            foreach (var function in ContextSymbols.Functions.Where(f => f.Group == group))
            {
                string parameters = string.Join(", ", function.Parameters.Select(TypeName));
                sb.Append($"| `{group.Name}.{function.Name}({parameters})` | {TypeName(function.Returns)} | {Cell(function.Doc)} |\n");
            }
            sb.Append('\n');
        }
        return sb.ToString();
    }

    /// <summary>GFP flag and mask names with their values.</summary>
    public static string Gfp()
    {
        var sb = new StringBuilder("| flag | also written | value |\n| --- | --- | --- |\n");
        foreach (var flag in Enum.GetValues<Runtime.Policy.Gfp>().Where(f => f != Runtime.Policy.Gfp.None))
            sb.Append($"| `{flag}` | `__GFP_{flag}` | `{GfpMasks.Format(flag)}` |\n");
        sb.Append("\n| mask | flags | value |\n| --- | --- | --- |\n");
        foreach (var (name, mask) in GfpMasks.Named)
        {
            string flags = mask == Runtime.Policy.Gfp.None ? "(none)" : string.Join(" \\| ", GfpSymbols.Flags(mask));
            sb.Append($"| `{name}` | {flags} | `{GfpMasks.Format(mask)}` |\n");
        }
        return sb.ToString();
    }

    /// <summary>The code table for docs/diagnostics.md.</summary>
    public static string Codes()
    {
        var sb = new StringBuilder("| code | severity | title |\n| --- | --- | --- |\n");
        foreach (var d in DiagnosticCodes.All)
            sb.Append($"| [{d.Code}](#{d.Code.ToLowerInvariant()}) | {(d.Severity == DiagnosticSeverity.Error ? "error" : "warning")} | {d.Title} |\n");
        return sb.ToString();
    }

    public static string TypeName(PolicyType type) => type switch
    {
        PolicyType.Bool => "bool",
        PolicyType.Count => "count",
        PolicyType.Pages => "pages",
        PolicyType.Bytes => "bytes",
        PolicyType.Duration => "duration",
        PolicyType.Percent => "percent",
        PolicyType.Gfp => "gfp",
        PolicyType.ShrinkAction => "action",
        _ => type.ToString().ToLowerInvariant(),
    };

    static string Cell(string text) => text.Replace("|", "\\|").Replace("\n", " ");

    /// <summary>
    /// Replaces the text between <c>&lt;!-- generated: NAME --&gt;</c> and <c>&lt;!-- end: NAME --&gt;</c>.
    /// </summary>
    public static string Splice(string document, string name, string content)
    {
        string open = $"<!-- generated: {name} -->";
        string close = $"<!-- end: {name} -->";
        int start = document.IndexOf(open, StringComparison.Ordinal);
        int end = document.IndexOf(close, StringComparison.Ordinal);
        if (start < 0 || end < start)
            throw new InvalidOperationException($"the document has no '{open}' … '{close}' block");
        return document[..(start + open.Length)] + "\n" + content + document[end..];
    }
}
