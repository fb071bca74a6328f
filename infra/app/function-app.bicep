metadata description = '''
The DockerVm.Functions app on Flex Consumption (.NET isolated). It runs as one user-assigned identity, which it uses
for the host storage (blobs, queues, tables: Durable Functions' Azure Storage provider), the deployment package,
Key Vault references, Application Insights and ARM. The app settings below are exactly the configuration keys the
app reads; scripts/test-infra.sh compares their names with local.settings.sample.json so the two cannot drift.
'''

@description('Name of the function app.')
param name string

@description('Azure region.')
param location string

@description('Tags for the app; the azd-service-name tag is added here.')
param tags { *: string }

@description('Service name in azure.yaml, so that `azd deploy` finds this app.')
param serviceName string

@description('Resource id of the Flex Consumption plan.')
param appServicePlanId string

@description('Resource id of the user-assigned identity the app runs as.')
param identityId string

@description('Client id of that identity.')
param identityClientId string

@description('Blob endpoint of the app storage account, with a trailing slash.')
param storageBlobEndpoint string

@description('Queue endpoint of the app storage account, with a trailing slash.')
param storageQueueEndpoint string

@description('Table endpoint of the app storage account, with a trailing slash.')
param storageTableEndpoint string

@description('Blob container holding the deployment package.')
param deploymentStorageContainerName string

@description('Application Insights connection string (no key material: local auth is disabled).')
param applicationInsightsConnectionString string

@description('Durable Task hub name (TaskHubName).')
param taskHubName string

@description('Vault URI, with a trailing slash (Azure:KeyVaultUri).')
param keyVaultUri string

@description('Versionless URI of the default callback signing key secret.')
param callbackSigningKeySecretUri string

@description('Versionless URI of the inbound webhook secret.')
param webhookSigningSecretUri string

@description('Version of the inbound webhook secret that is being rotated out, accepted beside the current one; empty when no rotation is under way.')
@maxLength(32)
param webhookPreviousSigningSecretVersion string = ''

@description('Name of the provisioning request queue (Provisioning:RequestQueueName).')
param requestQueueName string

@description('Runtime version of dotnet-isolated on Flex Consumption; must match the project\'s target framework.')
@allowed(['8.0', '9.0', '10.0'])
param dotnetVersion string = '10.0'

@description('Memory per instance in MB.')
@allowed([512, 2048, 4096])
param instanceMemoryMB int = 2048

@description('Upper bound on scale-out.')
@minValue(1)
@maxValue(1000)
param maximumInstanceCount int = 100

resource functionApp 'Microsoft.Web/sites@2025-03-01' = {
  name: name
  location: location
  tags: union(tags, { 'azd-service-name': serviceName })
  kind: 'functionapp,linux'
  identity: {
    type: 'UserAssigned'
    userAssignedIdentities: {
      '${identityId}': {}
    }
  }
  properties: {
    serverFarmId: appServicePlanId
    httpsOnly: true
    publicNetworkAccess: 'Enabled'
    // Key Vault references in app settings resolve with the user-assigned identity, not a system-assigned one.
    keyVaultReferenceIdentity: identityId
    siteConfig: {
      minTlsVersion: '1.2'
      ftpsState: 'Disabled'
      http20Enabled: true
    }
    functionAppConfig: {
      deployment: {
        storage: {
          type: 'blobContainer'
          value: '${storageBlobEndpoint}${deploymentStorageContainerName}'
          authentication: {
            type: 'UserAssignedIdentity'
            userAssignedIdentityResourceId: identityId
          }
        }
      }
      scaleAndConcurrency: {
        instanceMemoryMB: instanceMemoryMB
        maximumInstanceCount: maximumInstanceCount
      }
      runtime: {
        name: 'dotnet-isolated'
        version: dotnetVersion
      }
    }
  }

  // Flex Consumption takes the worker runtime from functionAppConfig: FUNCTIONS_WORKER_RUNTIME and
  // FUNCTIONS_EXTENSION_VERSION must not be app settings. Keep this a literal object: the drift test reads its keys.
  resource appSettings 'config' = {
    name: 'appsettings'
    properties: {
      // Host storage through the identity (no connection string, shared keys are disabled on the account).
      AzureWebJobsStorage__blobServiceUri: storageBlobEndpoint
      AzureWebJobsStorage__queueServiceUri: storageQueueEndpoint
      AzureWebJobsStorage__tableServiceUri: storageTableEndpoint
      AzureWebJobsStorage__credential: 'managedidentity'
      AzureWebJobsStorage__clientId: identityClientId
      APPLICATIONINSIGHTS_CONNECTION_STRING: applicationInsightsConnectionString
      APPLICATIONINSIGHTS_AUTHENTICATION_STRING: 'ClientId=${identityClientId};Authorization=AAD'
      TaskHubName: taskHubName
      Azure__SubscriptionId: subscription().subscriptionId
      // environment().name is AzureCloud, AzureChinaCloud or AzureUSGovernment: the values Azure:Cloud accepts.
      Azure__Cloud: environment().name
      Azure__KeyVaultUri: keyVaultUri
      Azure__ManagedIdentityClientId: identityClientId
      Provisioning__RequestQueueName: requestQueueName
      Provisioning__VmReadyTimeout: '00:20:00'
      Provisioning__ExtensionReadyTimeout: '00:20:00'
      Provisioning__PollInterval: '00:00:15'
      // First check of each kind of ARM operation: when it is expected to be done (the workflow's defaults, said here).
      Provisioning__ExpectedNetworkDuration: '00:00:05'
      Provisioning__ExpectedVmDuration: '00:01:00'
      Provisioning__ExpectedExtensionDuration: '00:01:00'
      Provisioning__ExpectedDeletionDuration: '00:00:10'
      Callbacks__SigningKeys__default: '@Microsoft.KeyVault(SecretUri=${callbackSigningKeySecretUri})'
      Webhooks__SigningSecret: '@Microsoft.KeyVault(SecretUri=${webhookSigningSecretUri})'
      // That version pinned during a rotation; without one the reference is the current secret again (the app accepts one secret).
      Webhooks__PreviousSigningSecret: '@Microsoft.KeyVault(SecretUri=${webhookSigningSecretUri}${webhookPreviousSigningSecretVersion})'
    }
  }

  // Deployments authenticate with Entra ID (azd, the Functions tooling); basic-auth publishing stays off.
  resource scmBasicAuth 'basicPublishingCredentialsPolicies' = {
    name: 'scm'
    properties: {
      allow: false
    }
  }

  resource ftpBasicAuth 'basicPublishingCredentialsPolicies' = {
    name: 'ftp'
    properties: {
      allow: false
    }
  }
}

@description('Name of the function app.')
output name string = functionApp.name

@description('Default host name, e.g. func-xyz.azurewebsites.net.')
output defaultHostName string = functionApp.properties.defaultHostName
