using OrleansRing.Abstractions;
using OrleansRing.Sweeps;
using OrleansRing.TestInfrastructure;

namespace OrleansRing.Sweeps.Tests;

public sealed class SweepFileParserTests
{
    private const string PaperGrid = """
        name: grid
        base:
          model: paper-cnn
          data: synthetic
          epochs: 2
          workers: [8, 16]
        axes:
          attack: [none, gradient-ascent, same-value]
          seed: [1, 2]
        """;

    [Fact]
    public void Lists_InBaseOrAxes_AreAxes_AndTheGridIsTheirProduct_InFileOrder()
    {
        var sweep = SweepFileParser.Parse(PaperGrid, "grid.yaml");

        Assert.Equal(["workers", "attack", "seed"], sweep.AxisKeys);
        Assert.Equal(2 * 3 * 2, sweep.Experiments.Count);
        // The last axis varies fastest.
        Assert.Equal(["8 none 1", "8 none 2", "8 gradient-ascent 1"], sweep.Experiments.Take(3).Select(e => $"{e.Value("workers")} {e.Value("attack")} {e.Value("seed")}"));
        var last = sweep.Experiments[^1];
        Assert.Equal(16, last.Config.Workers);
        Assert.Equal("same-value", last.Config.Attack);
        Assert.Equal(2, last.Config.Seed);
        Assert.Equal(2, last.Config.Data.SyntheticSeed);
        Assert.Equal(2, last.Config.Epochs);
        Assert.Equal(ModelArchitecture.PaperCnn, last.Config.Model);
    }

    [Fact]
    public void MomentumAt_IsAnAxis_AndItsDefaultKeepsTheIds()
    {
        var sweep = SweepFileParser.Parse("name: m\naxes:\n  momentum-at: [replica, worker]\n", "m.yaml");
        var plain = SweepFileParser.Parse("name: m\n", "m.yaml");

        Assert.Equal([MomentumPlacement.Replica, MomentumPlacement.Worker], sweep.Experiments.Select(e => e.Config.MomentumAt));
        Assert.Equal(plain.Experiments[0].Id, sweep.Experiments[0].Id);
        Assert.NotEqual(sweep.Experiments[0].Id, sweep.Experiments[1].Id);
    }

    [Fact]
    public void An_Attack_GetsOneAttacker_ByDefault_AndNoneHasNone()
    {
        var sweep = SweepFileParser.Parse(PaperGrid, "grid.yaml");

        Assert.All(sweep.Experiments.Where(e => e.Value("attack") == "none"), e => Assert.Equal((null, 0), (e.Config.Attack, e.Config.AttackerCount)));
        Assert.All(sweep.Experiments.Where(e => e.Value("attack") != "none"), e => Assert.Equal(1, e.Config.AttackerCount));
    }

    [Fact]
    public void Ids_AreStable_Distinct_AndIgnoreKeyOrderAndWhereTheDataLies()
    {
        var first = SweepFileParser.Parse(PaperGrid, "grid.yaml");
        var reordered = SweepFileParser.Parse("""
            name: grid
            axes:
              seed: [1, 2]
              attack: [none, gradient-ascent, same-value]
            base:
              workers: [8, 16]
              epochs: 2.0
              data: synthetic
              model: paper-cnn
            """, "elsewhere/grid.yaml");

        Assert.Equal(first.Experiments.Count, first.Experiments.Select(e => e.Id).Distinct().Count());
        Assert.Equal(first.Experiments.Select(e => e.Id).Order(), reordered.Experiments.Select(e => e.Id).Order());
        Assert.All(first.Experiments, e => Assert.Matches("^grid-[0-9a-f]{12}$", e.Id));
        Assert.All(first.Experiments, e => Assert.Equal(e.Id, e.Config.ExperimentId));

        var changed = SweepFileParser.Parse(PaperGrid.Replace("epochs: 2", "epochs: 3", StringComparison.Ordinal), "grid.yaml");
        Assert.Empty(first.Experiments.Select(e => e.Id).Intersect(changed.Experiments.Select(e => e.Id)));
    }

    [Fact]
    public void The_Same_DataFile_InAnotherFolder_KeepsTheIds()
    {
        using var a = new TemporaryFolder();
        using var b = new TemporaryFolder();
        File.WriteAllText(Path.Combine(a.Path, "cifar.tar.gz"), "x");
        File.WriteAllText(Path.Combine(b.Path, "cifar.tar.gz"), "x");
        const string Text = "name: d\nbase:\n  data: cifar.tar.gz\n";

        var first = SweepFileParser.Parse(Text, Path.Combine(a.Path, "s.yaml")).Experiments.Single();
        var second = SweepFileParser.Parse(Text, Path.Combine(b.Path, "s.yaml")).Experiments.Single();

        Assert.Equal(first.Id, second.Id);
        Assert.Equal(DataSourceKind.Cifar10, first.Config.Data.Kind);
        Assert.Equal(Path.Combine(a.Path, "cifar.tar.gz"), first.Config.Data.Path);
    }

    [Fact]
    public void A_PluginMapping_WithLists_ExpandsIntoOneAttackPerValue()
    {
        var sweep = SweepFileParser.Parse("""
            name: params
            axes:
              attack:
                - none
                - name: random-value
                  std: [0.3, 1]
                  mean: 0
            """, "p.yaml");

        Assert.Equal([null, "random-value:std=0.3,mean=0", "random-value:std=1,mean=0"], sweep.Experiments.Select(e => e.Config.Attack));
        Assert.Equal(["attack"], sweep.AxisKeys);
    }

    [Fact]
    public void Every_Problem_IsReported_WithItsLineAndColumn()
    {
        var error = Assert.Throws<SweepFileException>(() => SweepFileParser.Parse("""
            name: bad
            base:
              wrokers: 8
              epochs: -1
            axes:
              lr: 0.1
              partition: [iid, dirichlet:zero]
            extra: 1
            """, "bad.yaml"));

        string[] expected =
        [
            "bad.yaml:3:3: unknown parameter 'wrokers'.",
            "bad.yaml:4:11: epochs: epochs must be a finite number > 0, got '-1'.",
            "bad.yaml:6:7: axis 'lr' must be a list of values",
            "bad.yaml:7:20: partition:",
            "bad.yaml:8:1: unknown section 'extra'.",
        ];
        Assert.Equal(expected.Length, error.Problems.Count);
        Assert.All(expected.Zip(error.Problems), pair => Assert.StartsWith(pair.First, pair.Second.ToString(), StringComparison.Ordinal));
        Assert.Contains("Did you mean 'workers'?", error.Problems[0].Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Invalid_Yaml_IsReported_AtTheSyntaxError()
    {
        var error = Assert.Throws<SweepFileException>(() => SweepFileParser.Parse("name: x\nbase:\n  workers: [8, 16\n", "broken.yaml"));

        var problem = Assert.Single(error.Problems);
        Assert.Equal("broken.yaml", problem.File);
        Assert.True(problem.Location.Line >= 3, problem.ToString());
        Assert.StartsWith("not valid YAML", problem.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("base:\n  workers: 8\n", "needs a 'name'")]
    [InlineData("name: Has Spaces\n", "must be 1-40 lowercase")]
    [InlineData("name: x\naxes:\n  attack: []\n", "empty list")]
    [InlineData("name: x\naxes:\n  attack: [none, none]\n", "same experiment")]
    [InlineData("name: x\nbase:\n  model: resnet\n", "not a model")]
    [InlineData("name: x\nbase:\n  momentum-at: server\n", "'server' is not replica or worker")]
    [InlineData("name: x\nbase:\n  data: no/such/file.tar.gz\n", "neither 'synthetic' nor an existing file")]
    [InlineData("name: x\nbase:\n  attack: {std: 1}\n", "needs 'name: PLUGIN'")]
    public void Bad_Files_AreRefused_SayingWhy(string text, string expected)
    {
        var error = Assert.Throws<SweepFileException>(() => SweepFileParser.Parse(text, "f.yaml"));

        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
        Assert.All(error.Problems, p => Assert.True(p.Location.Line >= 1, p.ToString()));
    }

    [Fact]
    public void A_Grid_PastTheLimit_IsRefused_WithItsSize()
    {
        var error = Assert.Throws<SweepFileException>(() => SweepFileParser.Parse(
            "name: big\naxes:\n  seed: [1, 2, 3, 4, 5]\n  data-seed: [1, 2, 3, 4, 5]\n", "big.yaml", new SweepOverrides { MaxExperiments = 20 }));

        Assert.Contains("expands to 25 experiments, more than the limit of 20", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Overrides_ReplaceTheFilesValues_AndRemoveTheirAxis()
    {
        var sweep = SweepFileParser.Parse(PaperGrid, "grid.yaml", new SweepOverrides { Values = new Dictionary<string, string> { ["workers"] = "4", ["epochs"] = "1" } });

        Assert.Equal(["attack", "seed"], sweep.AxisKeys);
        Assert.Equal(6, sweep.Experiments.Count);
        Assert.All(sweep.Experiments, e => Assert.Equal((4, 1.0), (e.Config.Workers, e.Config.Epochs)));

        var error = Assert.Throws<SweepFileException>(() => SweepFileParser.Parse(PaperGrid, "grid.yaml", new SweepOverrides { Values = new Dictionary<string, string> { ["epoch"] = "1" } }));
        Assert.Equal("command line", Assert.Single(error.Problems).File);
        Assert.Contains("Did you mean 'epochs'?", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void The_Presets_InTheRepository_Parse()
    {
        var folder = Path.Combine(RepositoryPaths.Root, "sweeps");
        var presets = Directory.GetFiles(folder, "*.yaml");

        Assert.NotEmpty(presets);
        foreach (var preset in presets)
        {
            // Presets that name the shared CIFAR-10 subset are checked with synthetic data where it is absent.
            var sweep = SweepFileParser.ParseFile(preset, new SweepOverrides { Values = new Dictionary<string, string> { ["data"] = "synthetic" } });
            Assert.NotEmpty(sweep.Experiments);
            Assert.Equal(Path.GetFileNameWithoutExtension(preset), sweep.Name);
        }
    }
}
