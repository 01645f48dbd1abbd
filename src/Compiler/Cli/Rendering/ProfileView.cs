using Policyc.Runtime.Reporting;
using Spectre.Console;
using Spectre.Console.Rendering;

namespace Policyc.Cli.Rendering;

/// <summary>
/// Where the CPUs spent their time, as <c>perf report</c> prints it: overhead, object, and symbol, the
/// heaviest first. Every simulated symbol is kernel code, hence <c>[kernel] [k]</c>.
/// </summary>
public static class ProfileView
{
    public const int DefaultRows = 10;

    public static IRenderable Render(IReadOnlyList<ProfileEntry> profile, ProfileEntry? reference = null, int rows = DefaultRows)
    {
        var table = PlainTable.Create(("Overhead", Justify.Right), ("Shared Object", Justify.Left), ("Symbol", Justify.Left));
        foreach (var entry in profile.OrderByDescending(e => e.Percent).ThenBy(e => e.Symbol, StringComparer.Ordinal).Take(rows))
        {
            table.AddRow(null, Units.Percent(entry.Percent), "[kernel]", $"[k] {entry.Symbol}");
            if (reference is not null && reference.Symbol == entry.Symbol)
                table.AddRow(PlainTable.ReferenceStyle, Units.Percent(reference.Percent), "[kernel]", $"[k] {reference.Symbol} (report)");
        }
        return table;
    }
}
