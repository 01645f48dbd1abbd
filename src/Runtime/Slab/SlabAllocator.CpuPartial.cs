using Policyc.Runtime.Mm;
using Policyc.Runtime.Policy;

namespace Policyc.Runtime.Slab;

/// <summary>
/// SLUB's per-CPU partial lists, CONFIG_SLUB_CPU_PARTIAL as 3.13 has it (scenario slub-cpu-partial,
/// which builds on slub-cpu-slabs and slub-partial-order). A full slab that gets an object back is
/// not put on its node's partial list: __slab_free freezes it onto the freeing CPU's partial list
/// (put_cpu_partial). That list goes to the node lists' tails (unfreeze_partials) when a free finds
/// it holding more than s->cpu_partial free objects, each emptied slab freed on the way while its
/// node has more than min_partial partial slabs. A CPU whose active slab is full takes the slab it
/// put on its list last; with the list empty, get_partial_node gives it the node's first partial
/// slab and puts the next ones on its list until they hold more than s->cpu_partial / 2 free objects.
/// So a slab freed into on one CPU is refilled by that CPU, and the oldest partial slabs of the node
/// wait until the CPUs' lists are drained.
/// </summary>
internal sealed partial class SlabAllocator
{
    int[] CpuPartialHeads(SlabCache cache) => cache.CpuPartial ??= [.. Enumerable.Repeat(-1, k.Scenario.Cpus)];

    int FreeObjects(int slab) => slabs[slab].Capacity - slabs[slab].InUse;

    /// <summary>
    /// __slab_alloc's new_slab: the head of the CPU's partial list, else get_partial (the node's first
    /// partial slab, more of them onto the CPU's list), else a new slab. The slab returned is the
    /// CPU's next active slab.
    /// </summary>
    int CpuPartialOrNodeSlab(SlabCache cache, int cpu, Gfp gfp, ref AllocAttempt attempt)
    {
        var heads = CpuPartialHeads(cache);
        int slab = heads[cpu];
        if (slab >= 0)
        {
            heads[cpu] = slabs[slab].Next;
            slabs[slab].OnCpuPartial = false;
            return slab; // frozen by this CPU already
        }
        int node = PartialNode(cache);
        if (node < 0)
            return NewSlab(cache, gfp, ref attempt);
        int first = cache.PartialHead[node];
        RemovePartial(cache, first);
        long available = FreeObjects(first);
        // get_partial_node: "if (!kmem_cache_has_cpu_partial(s) || available > s->cpu_partial / 2) break;"
        while (available <= cache.CpuPartialObjects / 2 && cache.PartialHead[node] >= 0)
        {
            int next = cache.PartialHead[node];
            RemovePartial(cache, next);
            available += FreeObjects(next);
            PutCpuPartial(cache, cpu, next, drain: false);
        }
        return first;
    }

    /// <summary>
    /// __slab_free for a full slab no CPU holds (prior == NULL): frozen onto the partial list of the
    /// CPU that frees the object, rather than added to its node's (which needs the list lock).
    /// </summary>
    void FreezeOntoCpuPartial(SlabCache cache, int slab, int cpu)
    {
        PutCpuPartial(cache, cpu, slab, drain: true);
        if (slabs[slab].InUse == 0)
            cache.EmptyPartial[NodeOf(slab)]++;
    }

    /// <summary>
    /// put_cpu_partial: the slab goes to the head of the CPU's list. With <paramref name="drain"/> (a
    /// free), a list already holding more than s->cpu_partial free objects, as counted when its slabs
    /// joined (page->pobjects), first goes to the node lists.
    /// </summary>
    void PutCpuPartial(SlabCache cache, int cpu, int slab, bool drain)
    {
        var heads = CpuPartialHeads(cache);
        int head = heads[cpu];
        int pobjects = head >= 0 ? slabs[head].CpuPartialObjects : 0;
        if (drain && pobjects > cache.CpuPartialObjects)
        {
            UnfreezePartials(cache, cpu);
            head = -1;
            pobjects = 0;
        }
        ref var page = ref slabs[slab];
        page.CpuPartialObjects = pobjects + page.Capacity - page.InUse;
        page.Next = head;
        page.OnCpuPartial = true;
        page.CpuOwner = cpu;
        heads[cpu] = slab;
    }

    /// <summary>
    /// unfreeze_partials: every slab of the CPU's list to the tail of its node's partial list
    /// (DEACTIVATE_TO_TAIL), or, if empty while the node has more than min_partial partial slabs, back
    /// to the page allocator.
    /// </summary>
    void UnfreezePartials(SlabCache cache, int cpu)
    {
        var heads = CpuPartialHeads(cache);
        int slab = heads[cpu];
        heads[cpu] = -1;
        while (slab >= 0)
        {
            int next = slabs[slab].Next;
            slabs[slab].OnCpuPartial = false;
            slabs[slab].CpuOwner = -1;
            int node = NodeOf(slab);
            if (slabs[slab].InUse == 0 && cache.PartialCount[node] > cache.MinPartial)
            {
                cache.EmptyPartial[node]--;
                DiscardSlab(cache, slab);
            }
            else
            {
                AddPartial(cache, slab, tail: true);
            }
            slab = next;
        }
    }

    /// <summary>The slabs on a CPU's partial list, head first (for tests and invariant checks).</summary>
    public IEnumerable<int> CpuPartialSlabs(SlabCache cache, int cpu)
    {
        if (cache.CpuPartial is null)
            yield break;
        for (int slab = cache.CpuPartial[cpu]; slab >= 0; slab = slabs[slab].Next)
            yield return slab;
    }

    /// <summary>Whether a CPU holds the slab frozen (its active slab or on its partial list), and which.</summary>
    public int FrozenBy(int slab) => slabs[slab].CpuOwner;
}
