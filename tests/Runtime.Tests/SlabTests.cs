using Policyc.Runtime.Mm;
using Policyc.Runtime.Policy;
using Policyc.Runtime.Scenarios;

namespace Policyc.Runtime.Tests;

public class SlabTests
{
    [Fact]
    public void The_slab_caches_have_the_seed_reports_geometry()
    {
        var k = TestMachine.Kernel(TestMachine.Tiny() .WithOverride("cpus", "16"));
        Assert.Equal(26, k.Slab.XfsInode.ObjectsPerSlab(k.Slab.XfsInode.Order));
        Assert.Equal(3, k.Slab.XfsInode.Order);
        Assert.Equal(37, k.Slab.Dentry.ObjectsPerSlab(k.Slab.Dentry.Order));
        Assert.Equal(64, k.Slab.KmallocCache(64).ObjectsPerSlab(k.Slab.KmallocCache(64).Order));
    }

    [Fact]
    public void Freeing_objects_frees_pages_only_when_a_slab_empties()
    {
        var k = TestMachine.Kernel();
        var cache = k.Slab.XfsInode;
        int perSlab = cache.ObjectsPerSlab(cache.Order);
        int slabs = cache.MinPartial + 3;
        var objects = new List<int>();
        var attempt = new AllocAttempt();
        for (int i = 0; i < perSlab * slabs; i++)
            objects.Add(k.Slab.Alloc(cache, GfpMasks.GFP_KERNEL, ref attempt));
        Assert.Equal(slabs, cache.Slabs);
        long pages = cache.Pages;
        long free = k.FreePages;

        // All but one object of every slab: not one page comes back.
        foreach (var group in objects.GroupBy(o => o))
            foreach (var o in group.Skip(1))
                k.Slab.Free(o);
        Assert.Equal(pages, cache.Pages);
        Assert.Equal(free, k.FreePages);
        Assert.Equal(slabs, cache.ActiveObjects);

        // The last object of each slab: the slabs empty; SLUB keeps min_partial of them.
        foreach (var group in objects.GroupBy(o => o))
            k.Slab.Free(group.Key);
        Assert.Equal(0, cache.ActiveObjects);
        Assert.Equal(cache.MinPartial, cache.Slabs);
        Assert.Equal(free + (slabs - cache.MinPartial) * (1L << cache.Order), k.FreePages);
        Invariants.Check(k);
    }
}
