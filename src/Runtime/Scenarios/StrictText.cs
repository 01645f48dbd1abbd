using System.Text;

namespace Policyc.Runtime.Scenarios;

/// <summary>A file's bytes that are not UTF-8: where, and the text as a lenient decoder shows it.</summary>
public sealed record InvalidUtf8(int ByteOffset, byte Byte, string LenientText, int Position)
{
    public string Message => $"the file is not UTF-8 text: byte 0x{Byte:X2} at offset {ByteOffset} does not belong to a UTF-8 sequence";

    /// <summary>The 1-based line of the bad byte.</summary>
    public int Line => TextPosition.Of(LenientText, Position).Line;

    /// <summary>The 1-based column of the bad byte, in characters.</summary>
    public int Column => TextPosition.Of(LenientText, Position).Column;
}

/// <summary>
/// Reads input files (policies, scenario files, sweep files, bundles) strictly and within bounds.
/// They are shared as text, so bytes that are not UTF-8 are refused rather than turned into U+FFFD
/// (a lenient decoder would run something other than what the author's editor shows), and at most
/// a few bytes past the caller's limit are read, so a huge file or an endless device such as
/// /dev/zero costs bounded time and memory.
/// </summary>
public static class StrictText
{
    static readonly UTF8Encoding Strict = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    /// <summary>Up to <paramref name="maxBytes"/> bytes of the file; more were there if that many came back.</summary>
    public static byte[] ReadBounded(string path, int maxBytes)
    {
        using var stream = Open(path);
        using var buffer = new MemoryStream();
        var chunk = new byte[64 * 1024];
        int read;
        while (buffer.Length < maxBytes && (read = stream.Read(chunk, 0, (int)Math.Min(chunk.Length, maxBytes - buffer.Length))) > 0)
            buffer.Write(chunk, 0, read);
        return buffer.ToArray();
    }

    /// <summary>The bytes as text (a UTF-8 byte order mark dropped), or null with where they are not UTF-8.</summary>
    public static string? Decode(byte[] bytes, out InvalidUtf8? invalid)
    {
        invalid = null;
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
            invalid = new InvalidUtf8(badByte, bytes[badByte], lenient, position);
            return null;
        }
    }

    /// <summary>
    /// Opens the file for reading. On Linux it is opened with O_NONBLOCK, which a regular file
    /// ignores but which keeps a named pipe without a writer from blocking the open for ever: such a
    /// pipe then reads as empty, and the empty text gets its error like any other.
    /// </summary>
    public static FileStream Open(string path)
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
}
