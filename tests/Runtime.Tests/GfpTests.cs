using Policyc.Runtime.Policy;

namespace Policyc.Runtime.Tests;

public class GfpTests
{
    [Theory]
    [InlineData(0x8250u, "GFP_NOFS|__GFP_NOWARN|__GFP_ZERO (0x8250)")]   // the seed's kmem_alloc, "mode:0x8250"
    [InlineData(0xd0u, "GFP_KERNEL (0xd0)")]
    [InlineData(0x200dau, "GFP_HIGHUSER_MOVABLE (0x200da)")]              // the OOM line's gfp_mask
    [InlineData(0x200u, "GFP_NOWAIT|__GFP_NOWARN (0x200)")]
    [InlineData(0x0u, "GFP_NOWAIT (0x0)")]
    [InlineData(0x4050u, "GFP_NOFS|__GFP_COMP (0x4050)")]
    public void A_mask_is_described_as_gfp_h_would_spell_it(uint mask, string expected) =>
        Assert.Equal(expected, GfpMasks.Describe((Gfp)mask));
}
