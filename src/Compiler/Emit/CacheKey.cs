using System.Security.Cryptography;

namespace Policyc.Compiler.Emit;

/// <summary>
/// The secret that signs build-cache entries: 32 random bytes in a file only its owner may read,
/// outside any cache directory (<c>$POLICYC_CACHE_KEY</c>, else <c>$XDG_CONFIG_HOME/policyc/cache.key</c>,
/// else <c>~/.config/policyc/cache.key</c>; only absolute locations). Someone who can write a cache directory (a shared
/// checkout's <c>.policyc/cache</c>) but not read this file cannot make policyc load their assembly.
/// When there is no such place, or the file can be neither read nor created, a key for this process alone is used: the cache
/// then only ever misses, which is safe.
/// </summary>
public static class CacheKey
{
    const int Length = 32;
    static readonly Lazy<byte[]> Secret = new(Load);

    public static byte[] Value => Secret.Value;

    /// <summary>
    /// Where the key is kept; null when there is no absolute place for it. The XDG base directory
    /// spec ignores a relative <c>XDG_CONFIG_HOME</c>: it would put the key under whatever directory
    /// policyc runs in, perhaps a shared checkout beside the cache it protects.
    /// </summary>
    public static string? DefaultPath
    {
        get
        {
            if (Environment.GetEnvironmentVariable("POLICYC_CACHE_KEY") is { Length: > 0 } explicitPath)
                return explicitPath;
            if (Environment.GetEnvironmentVariable("XDG_CONFIG_HOME") is { } xdg && Path.IsPathFullyQualified(xdg))
                return Path.Combine(xdg, "policyc", "cache.key");
            string home = Environment.GetFolderPath(Environment.SpecialFolder.UserProfile);
            return Path.IsPathFullyQualified(home) ? Path.Combine(home, ".config", "policyc", "cache.key") : null;
        }
    }

    static byte[] Load()
    {
        if (DefaultPath is not { } path)
            return RandomNumberGenerator.GetBytes(Length);
        try
        {
            if (ReadKey(path) is { } existing)
                return existing;
            Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!);
            var key = RandomNumberGenerator.GetBytes(Length);
            // Created private, then moved into place without overwriting: of two processes creating
            // the key at once, one wins and both use its key.
            string temporary = path + "." + Environment.ProcessId + "." + Guid.NewGuid().ToString("N") + ".tmp";
            var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write };
            if (!OperatingSystem.IsWindows())
                options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
            using (var stream = new FileStream(temporary, options))
                stream.Write(key);
            try
            {
                File.Move(temporary, path, overwrite: false);
                return key;
            }
            catch (IOException)
            {
                File.Delete(temporary);
                return ReadKey(path) ?? key;
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return RandomNumberGenerator.GetBytes(Length);
        }
    }

    static byte[]? ReadKey(string path)
    {
        if (!File.Exists(path))
            return null;
        var bytes = File.ReadAllBytes(path);
        return bytes.Length == Length ? bytes : throw new IOException($"{path}: not a policyc cache key");
    }
}
