using System.Text;
using Policyc.Compiler.Syntax;

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
/// Reads policy files strictly and within bounds. Policies are shared as text, so the reader
/// refuses what a text editor would show differently from what the compiler sees: bytes that are
/// not UTF-8 are an error (a lenient decoder would turn them into U+FFFD, and <c>policyc fmt</c>
/// would then write the replacement back over the author's bytes). It reads at most a few bytes
/// past <see cref="Limits.MaxFileLength"/>, so a huge file or an endless device such as
/// /dev/zero costs bounded time and memory.
/// </summary>
public static class SourceFile
{
    static readonly UTF8Encoding Strict = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    // UTF-8 needs at most three bytes per UTF-16 code unit; one more byte tells "too large" apart.
    const int MaxBytes = Limits.MaxFileLength * 3 + 1;

    /// <summary>The file's text, or null when there is no such file; throws <see cref="SourceFileException"/>.</summary>
    public static string? ReadOrNull(string path)
    {
        if (Directory.Exists(path))
            throw new SourceFileException("it is a directory, not a policy file");
        if (!File.Exists(path))
            return null;
        byte[] bytes;
        try
        {
            bytes = ReadBounded(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new SourceFileException(e.Message);
        }
        if (bytes.Length >= MaxBytes)
            throw new SourceFileException($"the file has more than {MaxBytes - 1} bytes; the limit is {Limits.MaxFileLength} characters", tooLarge: true);
        return Decode(bytes);
    }

    static byte[] ReadBounded(string path)
    {
        using var stream = Open(path);
        using var buffer = new MemoryStream();
        var chunk = new byte[64 * 1024];
        int read;
        while (buffer.Length < MaxBytes && (read = stream.Read(chunk, 0, (int)Math.Min(chunk.Length, MaxBytes - buffer.Length))) > 0)
            buffer.Write(chunk, 0, read);
        return buffer.ToArray();
    }

    /// <summary>
    /// Opens the file for reading. On Linux it is opened with O_NONBLOCK, which a regular file
    /// ignores but which keeps a named pipe without a writer from blocking the open for ever: such a
    /// pipe then reads as empty, and the empty text gets its diagnostic like any other.
    /// </summary>
    static FileStream Open(string path)
    {
        if (OperatingSystem.IsLinux())
        {
            int fd = NativeOpen(path, ORdOnly | ONonBlock | OCloExec);
            if (fd < 0)
                throw new IOException(System.Runtime.InteropServices.Marshal.GetPInvokeErrorMessage(System.Runtime.InteropServices.Marshal.GetLastPInvokeError()));
            var handle = new Microsoft.Win32.SafeHandles.SafeFileHandle(fd, ownsHandle: true);
            return new FileStream(handle, FileAccess.Read, 1);
        }
        return new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete, 1, FileOptions.SequentialScan);
    }

    // <fcntl.h> on Linux (x86-64 and arm64 alike).
    const int ORdOnly = 0, ONonBlock = 0x800, OCloExec = 0x80000;

    [System.Runtime.InteropServices.DllImport("libc", EntryPoint = "open", SetLastError = true)]
    static extern int NativeOpen([System.Runtime.InteropServices.MarshalAs(System.Runtime.InteropServices.UnmanagedType.LPUTF8Str)] string path, int flags);

    static string Decode(byte[] bytes)
    {
        int skip = bytes.AsSpan().StartsWith(Encoding.UTF8.Preamble) ? Encoding.UTF8.Preamble.Length : 0;
        try
        {
            return Strict.GetString(bytes, skip, bytes.Length - skip);
        }
        catch (DecoderFallbackException e)
        {
            // Point at the first bad byte in the text as a lenient decoder shows it.
            int badByte = skip + Math.Max(0, e.Index);
            string lenient = Encoding.UTF8.GetString(bytes, skip, bytes.Length - skip);
            int position = Encoding.UTF8.GetString(bytes, skip, badByte - skip).Length;
            throw new SourceFileException(
                $"the file is not UTF-8 text: byte 0x{bytes[badByte]:X2} at offset {badByte} does not belong to a UTF-8 sequence",
                lenient, position);
        }
    }
}
