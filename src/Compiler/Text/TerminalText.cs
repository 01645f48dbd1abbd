using System.Globalization;

namespace Policyc.Compiler.Text;

/// <summary>Which characters a message must not send to a terminal as they are.</summary>
public static class TerminalText
{
    /// <summary>
    /// Control and format characters (bidi overrides, zero-width spaces) and line or paragraph
    /// separators: each can break a message's line or hide and reorder what it shows.
    /// </summary>
    public static bool Hides(char c) => CharUnicodeInfo.GetUnicodeCategory(c) is UnicodeCategory.Control or UnicodeCategory.Format
        or UnicodeCategory.LineSeparator or UnicodeCategory.ParagraphSeparator;
}
