using System.Text.Json.Nodes;
using OrleansRing.TestInfrastructure;

namespace OrleansRing.Deployment.Tests;

/// <summary>infra/main.bicep compiles cleanly, and its ARM template holds what the silos and manifests rely on.</summary>
public sealed class BicepTests
{
    private const string StorageBlobDataContributor = "ba92f5b4-2d11-453d-a403-e96b0029c9fe";
    private const string StorageTableDataContributor = "0a9a7e1f-b9d0-4cc4-a60d-0319b160aaa3";
    private const string AcrPull = "7f951dda-4ed3-4680-a7ca-43fe172d538d";

    private static readonly Lazy<(int ExitCode, string Template, string Diagnostics)> s_build =
        new(() => BicepCli.Build(Path.Combine(RepositoryPaths.Root, "infra", "main.bicep")));

    /// <summary>The compiled template (built once per run).</summary>
    internal static JsonObject Template()
    {
        var (exit, template, diagnostics) = s_build.Value;
        Assert.True(exit == 0, $"bicep build failed ({exit}): {diagnostics}");
        return JsonNode.Parse(template)!.AsObject();
    }

    internal static JsonObject Resource(string type) => Assert.Single(Resources(), r => (string?)r["type"] == type);

    internal static JsonObject GpuPool() => Resource("Microsoft.ContainerService/managedClusters/agentPools");

    [Fact]
    public void Build_Succeeds_WithoutWarnings()
    {
        var (exit, _, diagnostics) = s_build.Value;

        Assert.True(exit == 0, diagnostics);
        Assert.DoesNotContain("Warning", diagnostics);
        Assert.DoesNotContain("Error", diagnostics);
    }

    [Fact]
    public void Template_HasEveryResourceTheDeploymentNeeds()
    {
        var types = Resources().Select(r => (string)r["type"]!).ToList();

        Assert.Contains("Microsoft.ContainerService/managedClusters", types);
        Assert.Contains("Microsoft.ContainerService/managedClusters/agentPools", types);
        Assert.Contains("Microsoft.ContainerRegistry/registries", types);
        Assert.Contains("Microsoft.Storage/storageAccounts", types);
        Assert.Contains("Microsoft.Storage/storageAccounts/blobServices/containers", types);
        Assert.Contains("Microsoft.Storage/storageAccounts/tableServices/tables", types);
        Assert.Contains("Microsoft.ManagedIdentity/userAssignedIdentities", types);
        Assert.Contains("Microsoft.ManagedIdentity/userAssignedIdentities/federatedIdentityCredentials", types);
        Assert.Equal(3, types.Count(t => t == "Microsoft.Authorization/roleAssignments"));
        var outputs = Template()["outputs"]!.AsObject().Select(o => o.Key);
        Assert.Superset(new HashSet<string> { "aksName", "registryLoginServer", "tableEndpoint", "chunkContainerUrl", "identityClientId" }, outputs.ToHashSet());
    }

    [Fact]
    public void Cluster_HasWorkloadIdentity_ATaintedGpuPool_AndEnforcesNetworkPolicies()
    {
        var cluster = Resource("Microsoft.ContainerService/managedClusters")["properties"]!;
        var pool = GpuPool()["properties"]!;
        var parameters = Template()["parameters"]!;

        Assert.True((bool)cluster["oidcIssuerProfile"]!["enabled"]!);
        Assert.True((bool)cluster["securityProfile"]!["workloadIdentity"]!["enabled"]!);
        Assert.Equal("User", (string?)pool["mode"]);
        Assert.StartsWith("Standard_NC", (string?)parameters["gpuVmSize"]!["defaultValue"]);
        Assert.Contains("sku=gpu:NoSchedule", pool["nodeTaints"]!.AsArray().Select(t => (string?)t));
        // Without a policy engine the silo NetworkPolicy would be accepted and ignored.
        Assert.Equal("cilium", (string?)cluster["networkProfile"]!["networkPolicy"]);
        Assert.Equal("cilium", (string?)cluster["networkProfile"]!["networkDataplane"]);
    }

    [Fact]
    public void Storage_HasTheChunkContainerAndMembershipTable_AndNoSharedKeys()
    {
        var account = Resource("Microsoft.Storage/storageAccounts")["properties"]!;
        var parameters = Template()["parameters"]!;

        Assert.False((bool)account["allowSharedKeyAccess"]!);
        Assert.False((bool)account["allowBlobPublicAccess"]!);
        Assert.Equal(DeploymentContract.MembershipTable, (string?)parameters["membershipTableName"]!["defaultValue"]);
        // The container the azure overlay's chunk store URL names.
        Assert.Equal("chunks", (string?)parameters["chunkContainerName"]!["defaultValue"]);
    }

    [Fact]
    public void Identity_IsTrustedForTheSilosServiceAccount_AndMayUseBlobsAndTables()
    {
        var credential = Resource("Microsoft.ManagedIdentity/userAssignedIdentities/federatedIdentityCredentials")["properties"]!;
        // The role ids are template variables: resolve variables('NAME') in each roleDefinitionId.
        var variables = Template()["variables"]!.AsObject();
        var roles = Resources().Where(r => (string?)r["type"] == "Microsoft.Authorization/roleAssignments")
            .Select(r => variables.Aggregate((string)r["properties"]!["roleDefinitionId"]!,
                (text, variable) => text.Replace($"variables('{variable.Key}')", variable.Value is JsonValue value && value.TryGetValue<string>(out var v) ? v : variable.Key, StringComparison.Ordinal)))
            .ToList();

        Assert.Contains("system:serviceaccount:", (string?)credential["subject"]);
        Assert.Contains("oidcIssuerProfile.issuerURL", (string?)credential["issuer"]);
        Assert.Equal(["api://AzureADTokenExchange"], credential["audiences"]!.AsArray().Select(a => (string?)a));
        Assert.Contains(roles, r => r.Contains(StorageBlobDataContributor, StringComparison.Ordinal));
        Assert.Contains(roles, r => r.Contains(StorageTableDataContributor, StringComparison.Ordinal));
        Assert.Contains(roles, r => r.Contains(AcrPull, StringComparison.Ordinal));
    }

    private static IEnumerable<JsonObject> Resources() => Template()["resources"]!.AsArray().Select(r => r!.AsObject());
}
