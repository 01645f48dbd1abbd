namespace Policyc.Runtime.Scenarios;

/// <summary>Where a character offset sits in a text, as error messages give it.</summary>
internal static class TextPosition
{
    /// <summary>The 1-based line and column (in characters) of <paramref name="offset"/>, which may be the text's end.</summary>
    public static (int Line, int Column) Of(string text, int offset)
    {
        int line = text.AsSpan(0, offset).Count('\n') + 1;
        int lineStart = offset == 0 ? 0 : text.LastIndexOf('\n', offset - 1) + 1;
        return (line, offset - lineStart + 1);
    }
}
