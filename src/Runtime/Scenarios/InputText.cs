namespace Policyc.Runtime.Scenarios;

/// <summary>
/// Reads a whole input file (a scenario file, a sweep file) as text, strictly (<see cref="StrictText"/>).
/// A file that cannot be read is an input error for the caller to raise as its own, not an
/// exception to escape.
/// </summary>
public static class InputText
{
    /// <summary>Far more than any scenario or sweep file needs; a bound so a huge file is an error, not the heap.</summary>
    public const int MaxBytes = 1 << 20;

    /// <summary>The file's text, or null with <paramref name="error"/> as "PATH: cannot read WHAT: reason".</summary>
    public static string? Read(string path, string what, out string? error)
    {
        error = null;
        try
        {
            if (Directory.Exists(path))
                return Fail(path, what, "it is a directory", out error);
            byte[] bytes = StrictText.ReadBounded(path, MaxBytes + 1);
            if (bytes.Length > MaxBytes)
                return Fail(path, what, $"the file has more than {MaxBytes} bytes", out error);
            return StrictText.Decode(bytes, out var invalid) ?? Fail($"{path}({invalid!.Line},{invalid.Column})", what, invalid.Message, out error);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return Fail(path, what, e.Message, out error);
        }
    }

    static string? Fail(string path, string what, string reason, out string? error)
    {
        error = $"{path}: cannot read {what}: {reason}";
        return null;
    }
}
