using Policyc.Compiler.Reproduction;
using Policyc.Runtime.Reporting;
using Spectre.Console;
using Spectre.Console.Rendering;

namespace Policyc.Cli.Rendering;

/// <summary>The largest slab caches, in slabtop's columns and units, largest cache first.</summary>
public static class SlabTopView
{
    public const int DefaultRows = 8;

    public static IRenderable Render(IReadOnlyList<SlabCacheReport> caches, IReadOnlyList<SeedSlabRow>? reference = null, int rows = DefaultRows)
    {
        var table = PlainTable.Create(("OBJS", Justify.Right), ("ACTIVE", Justify.Right), ("USE", Justify.Right), ("OBJ SIZE", Justify.Right),
            ("SLABS", Justify.Right), ("OBJ/SLAB", Justify.Right), ("CACHE SIZE", Justify.Right), ("NAME", Justify.Left));

        foreach (var cache in caches.OrderByDescending(c => c.SizeKb).ThenBy(c => c.Name, StringComparer.Ordinal).Take(rows))
        {
            table.AddRow(null,
                Units.Integer(cache.Objs), Units.Integer(cache.ActiveObjs), Units.SlabUse(cache.ActiveObjs, cache.Objs),
                Units.SlabObjectSize(cache.ObjSizeBytes), Units.Integer(cache.Slabs), Units.Integer(cache.ObjsPerSlab),
                Units.Integer(cache.SizeKb) + "K", cache.Name);
            var quoted = reference?.FirstOrDefault(r => r.Name == cache.Name);
            if (quoted is not null)
                table.AddRow(PlainTable.ReferenceStyle,
                    Units.Integer(quoted.Objs), Units.Integer(quoted.Active), quoted.Use, quoted.ObjSize, Units.Integer(quoted.Slabs),
                    Units.Integer(quoted.ObjsPerSlab), Units.Integer(quoted.CacheSizeKb) + "K", $"  {quoted.Name} (report)");
        }
        return table;
    }
}
