namespace OrleansRing.Plugins.Abstractions;

/// <summary>The value type of a plugin parameter; decides how text such as <c>scale=-4</c> is parsed.</summary>
public enum PluginParameterType
{
    /// <summary>A finite 64-bit floating point number.</summary>
    Double = 0,

    /// <summary>A 32-bit integer.</summary>
    Int = 1,

    /// <summary><c>true</c> or <c>false</c>.</summary>
    Bool = 2,

    /// <summary>Free text (no commas in the command-line form).</summary>
    String = 3,

    /// <summary>One of a fixed list of kebab-case words.</summary>
    Enum = 4,
}
