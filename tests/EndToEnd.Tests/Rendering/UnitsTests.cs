using Policyc.Cli.Rendering;

namespace Policyc.EndToEnd.Tests.Rendering;

public class UnitsTests
{
    [Theory]
    [InlineData(1216, "1.19K")]   // xfs_inode
    [InlineData(216, "0.21K")]    // dentry
    [InlineData(64, "0.06K")]     // kmalloc-64
    public void Slab_object_size_is_printed_as_slabtop_does(long bytes, string expected) =>
        Assert.Equal(expected, Units.SlabObjectSize(bytes));

    [Theory]
    [InlineData(9483271, 9486678, "99%")]   // 99.96% is shown as 99%: slabtop divides in integers
    [InlineData(4820508, 4820508, "100%")]
    [InlineData(0, 0, "0%")]
    public void Slab_use_rounds_down(long active, long objs, string expected) =>
        Assert.Equal(expected, Units.SlabUse(active, objs));

    [Theory]
    [InlineData(8.25, "8.3 s")]
    [InlineData(3289, "54 min 49 s")]
    [InlineData(7500, "2 h 05 min")]
    public void Durations_read_naturally(double seconds, string expected) =>
        Assert.Equal(expected, Units.Duration(seconds));

    [Theory]
    [InlineData(16424296, "15.7 GiB")]
    [InlineData(497976, "486.3 MiB")]
    [InlineData(136, "136 KiB")]
    public void Sizes_use_binary_units(long kb, string expected) =>
        Assert.Equal(expected, Units.KibiBytes(kb));

    [Theory]
    [InlineData(4.85, "4.85/s")]
    [InlineData(2154.2, "2154/s")]
    [InlineData(0, "0/s")]
    public void Rates_keep_two_significant_places_when_small(double rate, string expected) =>
        Assert.Equal(expected, Units.Rate(rate));
}
