namespace OrleansRing.Api.Tests;

/// <summary>One host for every API test class; xunit runs the classes of a collection one after another.</summary>
[CollectionDefinition(Name)]
public sealed class ApiHostCollection : ICollectionFixture<ApiHost>
{
    public const string Name = "API host";
}
