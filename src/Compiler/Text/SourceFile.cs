using Policyc.Compiler.Diagnostics;
using Policyc.Compiler.Syntax;
using Policyc.Runtime.Scenarios;

namespace Policyc.Compiler.Text;

/// <summary>
/// A .rpol file could not be read as policy text. <see cref="Text"/> and <see cref="Position"/>,
/// when set, say where in the (lossily decoded) text the problem is, so the diagnostic can show it.
/// </summary>
public sealed class SourceFileException(string message, string? text = null, int position = 0, bool tooLarge = false) : Exception(message)
{
    public string? Text { get; } = text;
    public int Position { get; } = position;

    /// <summary>The file exceeds <see cref="Limits.MaxFileLength"/> (RP0400 rather than RP0500).</summary>
    public bool TooLarge { get; } = tooLarge;
}

/// <summary>
/// Reads policy files strictly and within bounds (<see cref="StrictText"/>): bytes that are not
/// UTF-8 are an error (<c>policyc fmt</c> would otherwise write U+FFFD back over the author's
/// bytes), and at most a few bytes past <see cref="Limits.MaxFileLength"/> are read.
/// </summary>
public static class SourceFile
{
    /// <summary>
    /// Why there is no text when <see cref="ReadOrNull(string)"/> gives null: File.Exists also says
    /// no for a file under a directory the user may not search.
    /// </summary>
    public const string Missing = "no such file or not readable";

    /// <summary>The file's text, or null when there is no such file; throws <see cref="SourceFileException"/>.</summary>
    public static string? ReadOrNull(string path) => ReadOrNull(path, Limits.MaxFileLength, "a policy file");

    /// <summary>The file's text; a missing file is a <see cref="SourceFileException"/> like any other unreadable one.</summary>
    public static string Read(string path) => ReadOrNull(path) ?? throw new SourceFileException(Missing);

    /// <summary>
    /// The file's text as <paramref name="read"/> gives it (<see cref="ReadOrNull(string)"/> when not
    /// given), or null with the reason reported to <paramref name="diagnostics"/>. A missing file is
    /// not reported when <paramref name="reportMissing"/> is false: a base that is not found is
    /// reported at the <c>extends</c> that names it.
    /// </summary>
    public static string? ReadReporting(string path, DiagnosticBag diagnostics, Func<string, string?>? read = null, bool reportMissing = true)
    {
        string? text;
        try
        {
            text = (read ?? ReadOrNull)(path);
        }
        catch (SourceFileException e)
        {
            diagnostics.ReportUnreadable(path, e);
            return null;
        }
        if (text is null && reportMissing)
            diagnostics.ReportFileNotReadable(path, Missing);
        return text;
    }

    /// <summary>
    /// The text of a file of at most <paramref name="maxLength"/> characters (<paramref name="kind"/>
    /// names it in the error for a directory), or null when there is no such file.
    /// </summary>
    public static string? ReadOrNull(string path, int maxLength, string kind)
    {
        if (Directory.Exists(path))
            throw new SourceFileException($"it is a directory, not {kind}");
        if (!File.Exists(path))
            return null;
        // UTF-8 needs at most three bytes per UTF-16 code unit; one more byte tells "too large" apart.
        int maxBytes = maxLength * 3 + 1;
        byte[] bytes;
        try
        {
            bytes = StrictText.ReadBounded(path, maxBytes);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new SourceFileException(FileErrors.Reason(e));
        }
        if (bytes.Length >= maxBytes)
            throw new SourceFileException($"the file has more than {maxBytes - 1} bytes; the limit is {maxLength} characters", tooLarge: true);
        return StrictText.Decode(bytes, out var invalid) ?? throw new SourceFileException(invalid!.Message, invalid.LenientText, invalid.Position);
    }
}
