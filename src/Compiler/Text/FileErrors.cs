namespace Policyc.Compiler.Text;

/// <summary>How a failed file operation is worded after the path its message already names.</summary>
public static class FileErrors
{
    /// <summary>
    /// The reason for an <see cref="IOException"/> or <see cref="UnauthorizedAccessException"/>: .NET
    /// words a refused access "Access to the path '…' is denied.", naming the path a second time.
    /// </summary>
    public static string Reason(Exception e) => e is UnauthorizedAccessException ? "permission denied" : e.Message;
}
