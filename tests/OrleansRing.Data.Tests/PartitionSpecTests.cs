namespace OrleansRing.Data.Tests;

public sealed class PartitionSpecTests
{
    [Theory]
    [InlineData("iid", PartitionKind.Iid, 0.0)]
    [InlineData(" IID ", PartitionKind.Iid, 0.0)]
    [InlineData("dirichlet:0.5", PartitionKind.Dirichlet, 0.5)]
    [InlineData("Dirichlet: 0.1", PartitionKind.Dirichlet, 0.1)]
    [InlineData("dirichlet:1e2", PartitionKind.Dirichlet, 100.0)]
    public void Parse_ValidText_GivesSpec(string text, PartitionKind kind, double alpha)
    {
        // Act
        var spec = PartitionSpec.Parse(text);

        // Assert
        Assert.Equal(new PartitionSpec(kind, alpha), spec);
    }

    [Theory]
    [InlineData("")]
    [InlineData("   ")]
    [InlineData("noniid")]
    [InlineData("dirichlet")]
    [InlineData("dirichlet:")]
    [InlineData("dirichlet:abc")]
    [InlineData("dirichlet:0")]
    [InlineData("dirichlet:-0.5")]
    [InlineData("dirichlet:NaN")]
    [InlineData("dirichlet:Infinity")]
    [InlineData("dirichlet:0,5")]
    public void Parse_BadText_ThrowsNamingTextAndUsage(string text)
    {
        // Act
        var error = Assert.Throws<FormatException>(() => PartitionSpec.Parse(text));

        // Assert
        Assert.Contains($"'{text}'", error.Message, StringComparison.Ordinal);
        Assert.Contains("'dirichlet:ALPHA'", error.Message, StringComparison.Ordinal);
        Assert.False(PartitionSpec.TryParse(text, out _));
    }

    [Theory]
    [InlineData("iid")]
    [InlineData("dirichlet:0.5")]
    [InlineData("dirichlet:0.123456789")]
    public void ToString_ParsedSpec_RoundTrips(string text)
    {
        Assert.Equal(text, PartitionSpec.Parse(text).ToString());
    }

    [Fact]
    public void Constructor_IidWithAlpha_EqualsIid()
    {
        Assert.Equal(PartitionSpec.Iid, new PartitionSpec(PartitionKind.Iid, 0.5));
    }

    [Fact]
    public void Constructor_DirichletWithoutPositiveAlpha_Throws()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new PartitionSpec(PartitionKind.Dirichlet, 0));
        Assert.Throws<ArgumentOutOfRangeException>(() => new PartitionSpec((PartitionKind)7, 1));
    }
}
