using Spectre.Console;
using Spectre.Console.Rendering;

namespace Policyc.Cli.Rendering;

/// <summary>
/// Borderless, column-aligned tables like the ones procps and perf print, so the output reads (and
/// greps) like the tools a kernel developer already knows.
/// </summary>
static class PlainTable
{
    /// <summary>Rows quoted from a published report, beside the simulated ones.</summary>
    public const string ReferenceStyle = "grey";

    public static Table Create(params (string Header, Justify Align)[] columns)
    {
        var table = new Table { Border = TableBorder.None, ShowHeaders = true, Expand = false };
        foreach (var (header, align) in columns)
            table.AddColumn(new TableColumn(Markup.Escape(header)) { Alignment = align, NoWrap = true, Padding = new Padding(0, 0, 2, 0) });
        return table;
    }

    public static void AddRow(this Table table, string? style, params string[] cells) =>
        table.AddRow(cells.Select(c => (Spectre.Console.Rendering.IRenderable)new Text(c, style is null ? Style.Plain : Style.Parse(style))).ToArray());

    /// <summary>A section heading. Plain text rather than a full-width rule, so a report saved to a file stays narrow.</summary>
    public static IRenderable Heading(string title) => new Markup($"[bold]── {Markup.Escape(title)} ──[/]\n");
}
