namespace Policyc.Runtime.Scenarios;

/// <summary>
/// Reads a whole input file (a scenario file, a sweep file) as text. A file that cannot be read is
/// an input error for the caller to raise as its own, not an exception to escape.
/// </summary>
public static class InputText
{
    /// <summary>The file's text, or null with <paramref name="error"/> as "PATH: cannot read WHAT: reason".</summary>
    public static string? Read(string path, string what, out string? error)
    {
        try
        {
            error = null;
            return File.ReadAllText(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            error = $"{path}: cannot read {what}: {e.Message}";
            return null;
        }
    }
}
