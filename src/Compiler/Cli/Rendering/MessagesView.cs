using Policyc.Compiler.Reproduction;
using Policyc.Runtime.Reporting;
using Spectre.Console;
using Spectre.Console.Rendering;

namespace Policyc.Cli.Rendering;

/// <summary>Kernel messages (dmesg) folded by text, with how often each was printed over the window.</summary>
public static class MessagesView
{
    public const int DefaultRows = 10;

    public static IRenderable Render(IReadOnlyList<MessageReport> messages, bool withSeedReference = false, int rows = DefaultRows)
    {
        if (messages.Count == 0)
            return new Text("(no kernel messages)\n", Style.Parse(PlainTable.ReferenceStyle));

        var table = PlainTable.Create(("COUNT", Justify.Right), ("RATE", Justify.Right), ("MESSAGE", Justify.Left));
        foreach (var message in messages.OrderByDescending(m => m.Count).ThenBy(m => m.Text, StringComparer.Ordinal).Take(rows))
        {
            table.AddRow(null, Units.Integer(message.Count), Units.Rate(message.PerSecond), message.Text);
            if (withSeedReference && message.Text == SeedReport.DeadlockMessage)
                table.AddRow(PlainTable.ReferenceStyle, "", Units.Rate(SeedReport.DeadlockMessagesPerSecond), "  (report: \"this 5 times a second\")");
        }
        if (messages.Count > rows)
            table.AddRow(PlainTable.ReferenceStyle, "", "", $"… {messages.Count - rows} more kinds of message");
        return table;
    }
}
