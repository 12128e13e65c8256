using OrleansRing.Sweeps;

namespace OrleansRing.Sweeps.Tests;

/// <summary>What the HTTP API relies on: runs parsed like a sweep's base, problems with their field, stable sweep ids.</summary>
public sealed class RunAndSweepIdentityTests
{
    [Fact]
    public void A_Run_IsTheRunCommandsOptions_AsOneMapping_InYamlOrJson_WithAnIdFromItsConfiguration()
    {
        var yaml = SweepFileParser.ParseRun("workers: 4\niterations: 8\nattack: gradient-ascent\n", "run.yaml");
        var json = SweepFileParser.ParseRun("""{"attack": "gradient-ascent", "iterations": 8, "workers": 4}""", "run.json");

        var experiment = Assert.Single(yaml.Experiments);
        Assert.Equal(SweepFileParser.RunName, yaml.Name);
        Assert.Empty(yaml.AxisKeys);
        Assert.Equal(4, experiment.Config.Workers);
        Assert.Equal("gradient-ascent", experiment.Config.Attack);
        Assert.Equal(1, experiment.Config.AttackerCount);
        Assert.StartsWith("run-", experiment.Id, StringComparison.Ordinal);
        Assert.Equal(experiment.Id, Assert.Single(json.Experiments).Id);
        Assert.Equal(experiment.Id, SweepIdentity.For(yaml));
    }

    [Fact]
    public void A_Run_RefusesLists_AndPluginGrids_NamingTheField()
    {
        var list = Assert.Throws<SweepFileException>(() => SweepFileParser.ParseRun("iterations: 8\nworkers: [2, 4]\n", "run.yaml"));
        var problem = Assert.Single(list.Problems);
        Assert.Equal(new SourceLocation(2, 10), problem.Location);
        Assert.Equal("workers", problem.Field);
        Assert.Contains("a run takes one value", problem.Message, StringComparison.Ordinal);

        var grid = Assert.Throws<SweepFileException>(() => SweepFileParser.ParseRun("attack: {name: random-value, scale: [0.3, 1]}\n", "run.yaml"));
        Assert.Contains("these values expand to 2", Assert.Single(grid.Problems).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Problems_NameTheParameter_TheyConcern()
    {
        var error = Assert.Throws<SweepFileException>(() => SweepFileParser.Parse("name: f\nbase:\n  workers: zero\naxes:\n  atack: [none]\n", "f.yaml"));

        Assert.Equal([("workers", 3), ("atack", 5)], error.Problems.Select(p => (p.Field, p.Location.Line)).Select(p => (p.Field!, p.Line)));
        // The text form is unchanged: file:line:column: message.
        Assert.StartsWith("f.yaml:3:", error.Problems[0].ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void A_SweepId_DependsOnTheGrid_NotOnHowTheFileIsWritten()
    {
        var blockStyle = SweepFileParser.Parse("name: same\nbase:\n  workers: 2\naxes:\n  attack: [none, gradient-flipping]\n", "a.yaml");
        var reordered = SweepFileParser.Parse("""{"axes": {"attack": ["none", "gradient-flipping"]}, "name": "same", "base": {"workers": 2}}""", "b.json");
        var otherGrid = SweepFileParser.Parse("name: same\nbase:\n  workers: 2\naxes:\n  attack: [none, gradient-ascent]\n", "c.yaml");
        var otherName = SweepFileParser.Parse("name: other\nbase:\n  workers: 2\naxes:\n  attack: [none, gradient-flipping]\n", "d.yaml");

        var id = SweepIdentity.For(blockStyle);
        Assert.Matches("^same-[0-9a-f]{12}$", id);
        Assert.Equal(id, SweepIdentity.For(reordered));
        Assert.NotEqual(id, SweepIdentity.For(otherGrid));
        Assert.NotEqual(id[^SweepIdentity.HashLength..], SweepIdentity.For(otherName)[^SweepIdentity.HashLength..]);
    }
}
