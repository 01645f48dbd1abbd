using System.Security.Cryptography;
using System.Text;
using Policyc.Compiler.Text;

namespace Policyc.Compiler.Emit;

/// <summary>
/// A content-addressed cache of compiled policy assemblies. The key hashes the compiler's identity
/// (version and the module IDs of the compiler and the contract, so any rebuild of either
/// invalidates it) and the name and text of the policy and each of its bases. A hit skips Roslyn.
/// Each entry is the assembly preceded by an HMAC-SHA256 of its key and bytes made with the user's
/// <see cref="CacheKey"/>; an entry whose MAC does not verify (written by someone else, or damaged)
/// is a miss, so only assemblies this user's policyc compiled are ever loaded from the cache.
/// Entries are never evicted; deleting the directory is always safe.
/// </summary>
public sealed class BuildCache(string directory, byte[]? secret = null)
{
    public string Directory { get; } = directory;
    readonly byte[] secret = secret ?? CacheKey.Value;
    const int MacLength = 32;

    /// <summary>The default: <c>$POLICYC_CACHE</c>, else <c>.policyc/cache</c> under the current directory.</summary>
    public static string DefaultDirectory =>
        Environment.GetEnvironmentVariable("POLICYC_CACHE") is { Length: > 0 } env
            ? env
            : Path.Combine(Environment.CurrentDirectory, ".policyc", "cache");

    /// <summary>
    /// The key of a policy and its bases. Files are named relative to <paramref name="rootDirectory"/>
    /// (the policy's own directory), as the generated code names them, so the same texts laid out
    /// differently get different entries.
    /// </summary>
    public static string Key(IEnumerable<SourceText> sources, string rootDirectory)
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        void Add(string s)
        {
            var bytes = Encoding.UTF8.GetBytes(s);
            hash.AppendData(BitConverter.GetBytes(bytes.Length));
            hash.AppendData(bytes);
        }
        Add(CompilerInfo.Version);
        Add(typeof(BuildCache).Assembly.ManifestModule.ModuleVersionId.ToString());
        Add(typeof(Runtime.Policy.PolicyTable).Assembly.ManifestModule.ModuleVersionId.ToString());
        foreach (var source in sources)
        {
            Add(Path.GetRelativePath(rootDirectory, Path.GetFullPath(source.Path)).Replace('\\', '/'));
            Add(source.Text);
        }
        return Convert.ToHexStringLower(hash.GetHashAndReset());
    }

    /// <summary>The assembly stored under the key, or null if there is none or it does not carry this user's MAC.</summary>
    public byte[]? TryGet(string key)
    {
        try
        {
            string path = PathOf(key);
            if (!File.Exists(path))
                return null;
            var entry = File.ReadAllBytes(path);
            if (entry.Length <= MacLength)
                return null;
            var assembly = entry[MacLength..];
            return CryptographicOperations.FixedTimeEquals(entry.AsSpan(0, MacLength), Mac(key, assembly)) ? assembly : null;
        }
        catch (IOException)
        {
            return null;
        }
        catch (UnauthorizedAccessException)
        {
            return null;
        }
    }

    /// <summary>Stores an assembly; a cache that cannot be written is skipped, not an error.</summary>
    public void Put(string key, byte[] assembly)
    {
        try
        {
            System.IO.Directory.CreateDirectory(Directory);
            string path = PathOf(key);
            // Write then rename, so a concurrent reader never sees half a file. The temporary name is
            // unique per write, not per process: two builds in one process must not share it.
            string temporary = path + "." + Environment.ProcessId + "." + Guid.NewGuid().ToString("N") + ".tmp";
            File.WriteAllBytes(temporary, [.. Mac(key, assembly), .. assembly]);
            File.Move(temporary, path, overwrite: true);
        }
        catch (IOException)
        {
        }
        catch (UnauthorizedAccessException)
        {
        }
    }

    byte[] Mac(string key, byte[] assembly)
    {
        using var hmac = IncrementalHash.CreateHMAC(HashAlgorithmName.SHA256, secret);
        hmac.AppendData(Encoding.UTF8.GetBytes(key));
        hmac.AppendData(assembly);
        return hmac.GetHashAndReset();
    }

    // Not .dll: an entry is a MAC and an assembly, not an assembly another tool could load.
    string PathOf(string key) => Path.Combine(Directory, key + ".entry");
}
