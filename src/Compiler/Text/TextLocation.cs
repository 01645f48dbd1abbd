namespace Policyc.Compiler.Text;

/// <summary>A span in a particular source text: where a diagnostic points.</summary>
public readonly record struct TextLocation(SourceText Text, TextSpan Span)
{
    public string Path => Text.Path;
    public LinePosition Start => Text.GetLinePosition(Span.Start);
    public LinePosition End => Text.GetLinePosition(Span.End);
}
