using OrleansRing.Plugins.Abstractions;
using OrleansRing.Plugins.Host;

namespace OrleansRing.Plugins.Tests;

public sealed class PluginSelectionTests
{
    [Fact]
    public void Parse_NameAndArguments_SplitsThem()
    {
        var selection = PluginSelection.Parse(" gradient-ascent : scale = -4 , scope=transmitted ");

        Assert.Equal("gradient-ascent", selection.Name);
        Assert.Equal("-4", selection.Arguments["scale"]);
        Assert.Equal("transmitted", selection.Arguments["SCOPE"]);
        Assert.Equal("gradient-ascent:scale=-4,scope=transmitted", selection.ToString());
    }

    [Theory]
    [InlineData("inf")]
    [InlineData("inf:")]
    public void Parse_NameOnly_HasNoArguments(string text)
    {
        var selection = PluginSelection.Parse(text);

        Assert.Equal("inf", selection.Name);
        Assert.Empty(selection.Arguments);
    }

    [Theory]
    [InlineData("", "empty")]
    [InlineData("  ", "empty")]
    [InlineData(":scale=1", "no plugin name")]
    [InlineData("alie:z", "'z' in 'alie:z' is not key=value")]
    [InlineData("alie:z=", "has no value")]
    [InlineData("alie:=1", "no parameter name")]
    [InlineData("alie:z=1,,", "empty entry")]
    [InlineData("alie:z=1,Z=2", "given twice")]
    public void Parse_Malformed_SaysWhatIsWrongAndTheSyntax(string text, string expected)
    {
        var error = Assert.Throws<PluginSelectionException>(() => PluginSelection.Parse(text));

        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void FromJson_Object_ReadsNameAndTypedParameters()
    {
        var selection = PluginSelection.FromJson("""{"name": "stall", "parameters": {"delay-ms": 250.0, "phase": "all-gather"}}""");
        var parameters = Catalogs.BuiltIn.Bind(selection, PluginKind.Attack);

        Assert.Equal("stall", selection.Name);
        Assert.Equal(250, parameters.GetInt("delay-ms"));
        Assert.Equal("all-gather", parameters.GetString("phase"));
    }

    [Fact]
    public void FromJson_String_UsesCommandLineForm()
    {
        var selection = PluginSelection.FromJson("\"ipm:epsilon=0.5\"");

        Assert.Equal(0.5, Catalogs.BuiltIn.Bind(selection, PluginKind.Attack).GetDouble("epsilon"));
    }

    [Fact]
    public void FromJson_BooleanValue_BecomesTrueFalseText()
    {
        var selection = PluginSelection.FromJson("""{"name": "x", "parameters": {"flag": true}}""");

        Assert.Equal("true", selection.Arguments["flag"]);
    }

    [Theory]
    [InlineData("""{"parameters": {}}""", "needs a \"name\"")]
    [InlineData("""{"name": "ipm", "params": {}}""", "Unknown key \"params\"")]
    [InlineData("""{"name": "ipm", "parameters": {"epsilon": null}}""", "'epsilon' is null")]
    [InlineData("""{"name": "ipm", "parameters": {"epsilon": [1]}}""", "must be a number, boolean or string")]
    [InlineData("""[1]""", "is a string")]
    [InlineData("""{"name": """, "not valid JSON")]
    public void FromJson_Malformed_SaysWhatIsWrong(string json, string expected)
    {
        var error = Assert.Throws<PluginSelectionException>(() => PluginSelection.FromJson(json));

        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Bind_NoArguments_FillsDefaults()
    {
        var parameters = Catalogs.BuiltIn.Bind(PluginSelection.Parse("gradient-ascent"), PluginKind.Attack);

        Assert.Equal(-4.0, parameters.GetDouble("scale"));
        Assert.Equal(AttackScope.Contribution, parameters.GetEnum<AttackScope>("scope"));
    }

    [Fact]
    public void Bind_OptionalWithoutDefault_IsAbsent()
    {
        var parameters = Catalogs.BuiltIn.Bind(PluginSelection.Parse("alie"), PluginKind.Attack);

        Assert.False(parameters.TryGetDouble("z", out _));
    }

    [Fact]
    public void Bind_UnknownPlugin_ListsAttacksAndSuggests()
    {
        var error = Assert.Throws<PluginSelectionException>(
            () => Catalogs.BuiltIn.CreateAttack("gradient-acsent:scale=2"));

        Assert.Contains("Unknown attack plugin 'gradient-acsent'", error.Message, StringComparison.Ordinal);
        Assert.Contains("Did you mean 'gradient-ascent'?", error.Message, StringComparison.Ordinal);
        Assert.Contains("Available attacks: alie, gaussian-noise, gradient-ascent, gradient-flipping", error.Message, StringComparison.Ordinal);
        Assert.Contains("stall", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Bind_UnknownParameter_ListsThatPluginsParameters()
    {
        var error = Assert.Throws<PluginSelectionException>(
            () => Catalogs.BuiltIn.CreateAttack("gradient-ascent:scal=2"));

        Assert.Contains("Plugin 'gradient-ascent' has no parameter 'scal'. Did you mean 'scale'?", error.Message, StringComparison.Ordinal);
        Assert.Contains(
            "Its parameters: scale (double, default -4), scope (one of contribution|transmitted, default contribution).",
            error.Message,
            StringComparison.Ordinal);
    }

    [Fact]
    public void Bind_ParameterOfPluginWithoutParameters_SaysItTakesNone()
    {
        var error = Assert.Throws<PluginSelectionException>(() => Catalogs.BuiltIn.CreateAttack("label-flipping:classes=10"));

        Assert.Contains("It takes no parameters.", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("gradient-ascent:scale=abc", "Parameter 'scale' of plugin 'gradient-ascent' expects a finite double; got 'abc'.")]
    [InlineData("gradient-ascent:scale=NaN", "expects a finite double; got 'NaN'")]
    [InlineData("random-value:scale=-1", "expects a finite double in [0, inf]; got '-1'")]
    [InlineData("stall:delay-ms=1.5", "expects an int in [0, 600000]; got '1.5'")]
    [InlineData("stall:delay-ms=700000", "expects an int in [0, 600000]; got '700000'")]
    [InlineData("gradient-ascent:scope=both", "expects one of contribution|transmitted; got 'both'")]
    [InlineData("min-max:deviation=unit", "Did you mean 'unit-vector'?")]
    public void Bind_BadValue_SaysExpectedTypeAndRange(string selection, string expected)
    {
        var error = Assert.Throws<PluginSelectionException>(() => Catalogs.BuiltIn.CreateAttack(selection));

        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Bind_EnumAndNames_AreCaseInsensitive()
    {
        using var attack = Catalogs.BuiltIn.CreateAttack("Gradient-Flipping:SCOPE=Transmitted", Catalogs.Inline);

        Assert.Equal(AttackHooks.Transmitted, attack.Hooks);
        Assert.Equal("scope=transmitted", attack.Parameters.ToString());
    }

    [Fact]
    public void PluginHelp_Describe_ListsDescriptionAndParameters()
    {
        Assert.True(Catalogs.BuiltIn.TryGet("alie", out var alie));

        var line = PluginHelp.Describe(alie.Descriptor);

        Assert.StartsWith("alie: A little is enough", line, StringComparison.Ordinal);
        Assert.Contains("(omniscient: sees the honest gradients)", line, StringComparison.Ordinal);
        Assert.Contains("z (double, default none)", line, StringComparison.Ordinal);
    }
}
