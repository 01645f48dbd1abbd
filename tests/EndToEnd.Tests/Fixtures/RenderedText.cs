using Policyc.Cli.Rendering;
using Spectre.Console.Rendering;

namespace Policyc.EndToEnd.Tests.Fixtures;

/// <summary>Renders views to plain text, as they appear when policyc's output is redirected to a file.</summary>
public static class RenderedText
{
    public static string Of(IRenderable renderable)
    {
        var writer = new StringWriter();
        Consoles.Plain(writer).Write(renderable);
        return Normalise(writer.ToString());
    }

    public static string Of(IEnumerable<IRenderable> renderables)
    {
        var writer = new StringWriter();
        var console = Consoles.Plain(writer);
        foreach (var r in renderables)
            console.Write(r);
        return Normalise(writer.ToString());
    }

    // Trailing spaces are padding, not content: drop them so expected text in tests stays readable.
    static string Normalise(string text) =>
        string.Join('\n', text.ReplaceLineEndings("\n").Split('\n').Select(l => l.TrimEnd()));
}
