using Policyc.Cli.Output;
using Spectre.Console;

namespace Policyc.Cli.Rendering;

/// <summary>
/// The consoles the commands write to: the report on stdout, progress on stderr. When a stream is
/// redirected there is no colour, no live display, and a wide fixed width so tables never wrap in a file.
/// </summary>
public static class Consoles
{
    /// <summary>Width used when the output is not a terminal: wide enough for every table, one row per line.</summary>
    public const int RedirectedWidth = 200;

    public static IAnsiConsole Stdout() =>
        Console.IsOutputRedirected ? Create(new TrailingSpaceTrimmer(Console.Out), redirected: true) : Create(Console.Out, redirected: false);

    public static IAnsiConsole Stderr() => Create(Console.Error, Console.IsErrorRedirected);

    /// <summary>A plain console writing into <paramref name="writer"/>, for tests and files.</summary>
    public static IAnsiConsole Plain(TextWriter writer, int width = RedirectedWidth) => Create(new TrailingSpaceTrimmer(writer), redirected: true, width);

    static IAnsiConsole Create(TextWriter writer, bool redirected, int width = RedirectedWidth)
    {
        var console = AnsiConsole.Create(new AnsiConsoleSettings
        {
            Out = new AnsiConsoleOutput(writer),
            Ansi = redirected ? AnsiSupport.No : AnsiSupport.Detect,
            ColorSystem = redirected ? ColorSystemSupport.NoColors : ColorSystemSupport.Detect,
            Interactive = redirected ? InteractionSupport.No : InteractionSupport.Detect,
        });
        if (redirected)
            console.Profile.Width = width;
        return console;
    }
}
