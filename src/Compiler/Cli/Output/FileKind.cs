using System.Runtime.InteropServices;

namespace Policyc.Cli.Output;

/// <summary>
/// Whether a path names a device, a named pipe or a socket rather than a regular file. An output
/// file is written atomically by renaming a temporary file over it, and renaming over
/// <c>/dev/null</c> (given as <c>--json /dev/null</c>, or reached through a link) would replace the
/// device itself; such a target is written to directly, as a shell's redirection does. .NET shows no
/// file type (<c>/dev/null</c>'s attributes read "Normal"), so this asks Linux's statx, whose
/// layout is the same on every architecture; elsewhere every existing path counts as a regular file.
/// </summary>
public static class FileKind
{
    const int AtFdCwd = -100;
    const uint StatxType = 0x1;        // STATX_TYPE
    const int ModeOffset = 28;         // struct statx: stx_mode is the __u16 after mask, blksize, attributes, nlink, uid, gid
    const int TypeMask = 0xF000;       // S_IFMT
    const int Regular = 0x8000, Directory = 0x4000;

    [DllImport("libc", SetLastError = true, EntryPoint = "statx")]
    static extern int Statx(int dirfd, [MarshalAs(UnmanagedType.LPUTF8Str)] string path, int flags, uint mask, byte[] buffer);

    /// <summary>True for an existing device, pipe or socket (links followed); false for a regular file, a directory, a missing path, or when the system cannot say.</summary>
    public static bool IsSpecial(string path)
    {
        if (!OperatingSystem.IsLinux())
            return false;
        var buffer = new byte[256]; // sizeof(struct statx)
        try
        {
            if (Statx(AtFdCwd, path, 0, StatxType, buffer) != 0)
                return false;
        }
        catch (Exception e) when (e is DllNotFoundException or EntryPointNotFoundException)
        {
            return false;
        }
        int type = BitConverter.ToUInt16(buffer, ModeOffset) & TypeMask;
        return type is not (Regular or Directory);
    }
}
