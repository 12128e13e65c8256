// OrleansRing on Azure: an AKS cluster with a system pool and a GPU node pool, a container registry, a storage account
// (blob container for gradient chunks and checkpoints, table for Orleans membership), and the user-assigned identity
// the silos use through workload identity, with its federated credential and role assignments. Deploy into a resource
// group (see docs/deployment.md):
//   az deployment group create -g orleansring -f infra/main.bicep -p namePrefix=orleansring
// Nothing here holds a key: shared-key access to the storage account is off; pods authenticate as the identity.

targetScope = 'resourceGroup'

@description('Prefix of every resource name: lower-case letters and digits, 3-11 characters.')
@minLength(3)
@maxLength(11)
param namePrefix string = 'orleansring'

param location string = resourceGroup().location

@description('VM size of the system pool (Orleans membership, the OpenTelemetry Collector, CPU silos if any).')
param systemVmSize string = 'Standard_D4ds_v5'

param systemNodeCount int = 2

@description('VM size of the GPU pool: one NVIDIA GPU per node (NC T4 v3); larger sizes hold several.')
param gpuVmSize string = 'Standard_NC4as_T4_v3'

@minValue(0)
param gpuNodeCount int = 2

@description('Kubernetes namespace and service account of the silos; the federated credential trusts exactly these.')
param kubernetesNamespace string = 'orleansring'
param serviceAccountName string = 'orleansring-silo'

@description('The blob container for chunks and checkpoints (the silos\' ChunkStore container).')
param chunkContainerName string = 'chunks'

@description('The Orleans membership table (OrleansRing\'s ClusterConnectionOptions.TableName).')
param membershipTableName string = 'OrleansSiloInstances'

var uniqueSuffix = uniqueString(resourceGroup().id)
var storageAccountName = take('${namePrefix}${uniqueSuffix}', 24)
var registryName = take('${namePrefix}acr${uniqueSuffix}', 50)

// Built-in role definitions.
var storageBlobDataContributor = 'ba92f5b4-2d11-453d-a403-e96b0029c9fe'
var storageTableDataContributor = '0a9a7e1f-b9d0-4cc4-a60d-0319b160aaa3'
var acrPull = '7f951dda-4ed3-4680-a7ca-43fe172d538d'

resource identity 'Microsoft.ManagedIdentity/userAssignedIdentities@2023-01-31' = {
  name: '${namePrefix}-silo'
  location: location
}

resource storage 'Microsoft.Storage/storageAccounts@2023-05-01' = {
  name: storageAccountName
  location: location
  kind: 'StorageV2'
  sku: {
    name: 'Standard_LRS'
  }
  properties: {
    minimumTlsVersion: 'TLS1_2'
    allowBlobPublicAccess: false
    allowSharedKeyAccess: false
    supportsHttpsTrafficOnly: true
  }
}

resource blobService 'Microsoft.Storage/storageAccounts/blobServices@2023-05-01' = {
  parent: storage
  name: 'default'
}

resource chunkContainer 'Microsoft.Storage/storageAccounts/blobServices/containers@2023-05-01' = {
  parent: blobService
  name: chunkContainerName
  properties: {
    publicAccess: 'None'
  }
}

resource tableService 'Microsoft.Storage/storageAccounts/tableServices@2023-05-01' = {
  parent: storage
  name: 'default'
}

resource membershipTable 'Microsoft.Storage/storageAccounts/tableServices/tables@2023-05-01' = {
  parent: tableService
  name: membershipTableName
}

resource registry 'Microsoft.ContainerRegistry/registries@2023-07-01' = {
  name: registryName
  location: location
  sku: {
    name: 'Standard'
  }
  properties: {
    adminUserEnabled: false
  }
}

resource aks 'Microsoft.ContainerService/managedClusters@2024-05-01' = {
  name: '${namePrefix}-aks'
  location: location
  identity: {
    type: 'SystemAssigned'
  }
  properties: {
    dnsPrefix: '${namePrefix}-aks'
    // Workload identity needs the cluster's OIDC issuer.
    oidcIssuerProfile: {
      enabled: true
    }
    securityProfile: {
      workloadIdentity: {
        enabled: true
      }
    }
    agentPoolProfiles: [
      {
        name: 'system'
        mode: 'System'
        count: systemNodeCount
        vmSize: systemVmSize
        osType: 'Linux'
        osSKU: 'AzureLinux'
      }
    ]
    // Cilium enforces k8s/base/silo-networkpolicy.yaml: only silos reach the ring's unauthenticated ports.
    networkProfile: {
      networkPlugin: 'azure'
      networkPluginMode: 'overlay'
      networkDataplane: 'cilium'
      networkPolicy: 'cilium'
    }
  }
}

// GPU nodes carry the label and taint that k8s/overlays/gpu selects and tolerates; AKS installs the NVIDIA driver.
resource gpuPool 'Microsoft.ContainerService/managedClusters/agentPools@2024-05-01' = {
  parent: aks
  name: 'gpu'
  properties: {
    mode: 'User'
    count: gpuNodeCount
    vmSize: gpuVmSize
    osType: 'Linux'
    osSKU: 'Ubuntu'
    nodeLabels: {
      'orleansring/pool': 'gpu'
    }
    nodeTaints: [
      'sku=gpu:NoSchedule'
    ]
  }
}

// The silos' service account may act as the identity: the token AKS issues for it is trusted by Entra ID.
resource federatedCredential 'Microsoft.ManagedIdentity/userAssignedIdentities/federatedIdentityCredentials@2023-01-31' = {
  parent: identity
  name: 'aks-${serviceAccountName}'
  properties: {
    issuer: aks.properties.oidcIssuerProfile.issuerURL
    subject: 'system:serviceaccount:${kubernetesNamespace}:${serviceAccountName}'
    audiences: [
      'api://AzureADTokenExchange'
    ]
  }
}

resource blobRole 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  scope: storage
  name: guid(storage.id, identity.id, storageBlobDataContributor)
  properties: {
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', storageBlobDataContributor)
    principalId: identity.properties.principalId
    principalType: 'ServicePrincipal'
  }
}

resource tableRole 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  scope: storage
  name: guid(storage.id, identity.id, storageTableDataContributor)
  properties: {
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', storageTableDataContributor)
    principalId: identity.properties.principalId
    principalType: 'ServicePrincipal'
  }
}

// The kubelets pull the images from the registry.
resource pullRole 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  scope: registry
  name: guid(registry.id, aks.id, acrPull)
  properties: {
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', acrPull)
    principalId: aks.properties.identityProfile.kubeletidentity.objectId
    principalType: 'ServicePrincipal'
  }
}

output aksName string = aks.name
output registryLoginServer string = registry.properties.loginServer
output storageAccountName string = storage.name
output tableEndpoint string = storage.properties.primaryEndpoints.table
output chunkContainerUrl string = '${storage.properties.primaryEndpoints.blob}${chunkContainerName}'
output identityClientId string = identity.properties.clientId
