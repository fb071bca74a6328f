targetScope = 'subscription'

metadata description = '''
DockerVmFunctions on Azure: the Functions app (Flex Consumption, .NET isolated) with its storage, Key Vault,
Application Insights and one user-assigned identity holding least-privilege roles, plus the target resource group
in which the app creates Docker VMs. Deployed by `azd up`; every parameter comes from the azd environment.
'''

import { builtInRoles } from 'core/security/role-types.bicep'

@minLength(1)
@maxLength(64)
@description('Name of the azd environment; seeds the unique suffix of every resource name.')
param environmentName string

@minLength(1)
@description('Region of every resource; it must offer the Flex Consumption plan.')
@metadata({
  azd: {
    type: 'location'
  }
})
param location string

@description('Object id of the principal running azd. It gets Key Vault Secrets Officer on the vault (to rotate the signing secrets); empty grants nothing.')
param principalId string = ''

@description('Resource group of the app; empty means rg-<environmentName>.')
param resourceGroupName string = ''

@description('Resource group where the app creates Docker VMs and their network; empty means rg-<environmentName>-dockervms.')
param targetResourceGroupName string = ''

@description('Create the target resource group (true) or use an existing one in this subscription (false).')
param createTargetResourceGroup bool = true

@description('True once the signing secrets exist in the vault; azd sets it from the DOCKERVM_SIGNING_SECRETS_CREATED output of the first provision.')
param signingSecretsCreated bool = false

@description('Durable Task hub name.')
param taskHubName string = 'DockerVmHub'

@description('Queue that carries provisioning requests; "<name>-poison" is created beside it.')
param requestQueueName string = 'docker-vm-requests'

@description('Key Vault version of webhook-signing-secret that senders may still sign with during a rotation (azd env DOCKERVM_WEBHOOK_PREVIOUS_SECRET_VERSION); empty otherwise.')
@maxLength(32)
param webhookPreviousSigningSecretVersion string = ''

@secure()
@description('Random material for the default callback signing key; a fresh value per deployment, used only when the secrets are first created.')
param callbackSigningKeySeed string = '${newGuid()}${newGuid()}'

@secure()
@description('Random material for the inbound webhook secret; a fresh value per deployment, used only when the secrets are first created.')
param webhookSigningSecretSeed string = '${newGuid()}${newGuid()}'

var abbrs = loadJsonContent('abbreviations.json')
var resourceToken = toLower(uniqueString(subscription().id, environmentName, location))
var tags = { 'azd-env-name': environmentName }
var serviceName = 'api'
var functionAppName = '${abbrs.webSitesFunctions}${resourceToken}'
var deploymentStorageContainerName = 'app-package-${take(functionAppName, 32)}-${take(toLower(uniqueString(functionAppName, resourceToken)), 7)}'
var appResourceGroupName = !empty(resourceGroupName) ? resourceGroupName : '${abbrs.resourcesResourceGroups}${environmentName}'
var storageAccountName = '${abbrs.storageStorageAccounts}${resourceToken}'
var keyVaultName = '${abbrs.keyVaultVaults}${resourceToken}'
var applicationInsightsName = '${abbrs.insightsComponents}${resourceToken}'
var vmResourceGroupName = !empty(targetResourceGroupName)
  ? targetResourceGroupName
  : '${abbrs.resourcesResourceGroups}${environmentName}-dockervms'

resource rg 'Microsoft.Resources/resourceGroups@2025-04-01' = {
  name: appResourceGroupName
  location: location
  tags: tags
}

resource targetRg 'Microsoft.Resources/resourceGroups@2025-04-01' = if (createTargetResourceGroup) {
  name: vmResourceGroupName
  location: location
  tags: tags
}

module identity 'core/identity/user-assigned-identity.bicep' = {
  name: 'identity'
  scope: rg
  params: {
    name: '${abbrs.managedIdentityUserAssignedIdentities}${resourceToken}'
    location: location
    tags: tags
  }
}

module monitoring 'core/monitor/monitoring.bicep' = {
  name: 'monitoring'
  scope: rg
  params: {
    logAnalyticsName: '${abbrs.operationalInsightsWorkspaces}${resourceToken}'
    applicationInsightsName: applicationInsightsName
    location: location
    tags: tags
  }
}

module storage 'core/storage/storage-account.bicep' = {
  name: 'storage'
  scope: rg
  params: {
    name: storageAccountName
    location: location
    tags: tags
    containerNames: [deploymentStorageContainerName]
    queueNames: [requestQueueName, '${requestQueueName}-poison']
  }
}

module keyVault 'core/security/key-vault.bicep' = {
  name: 'keyvault'
  scope: rg
  params: {
    name: keyVaultName
    location: location
    tags: tags
  }
}

module signingSecrets 'app/signing-secrets.bicep' = {
  name: 'signing-secrets'
  scope: rg
  dependsOn: [keyVault]
  params: {
    keyVaultName: keyVaultName
    createSecrets: !signingSecretsCreated
    callbackSigningKeySeed: callbackSigningKeySeed
    webhookSigningSecretSeed: webhookSigningSecretSeed
  }
}

module plan 'core/host/flex-consumption-plan.bicep' = {
  name: 'plan'
  scope: rg
  params: {
    name: '${abbrs.webServerFarms}${resourceToken}'
    location: location
    tags: tags
  }
}

// Least privilege: data-plane roles on the app's own resources, VM + network roles on the target group only.
// Nothing at subscription scope, no Owner, Contributor or User Access Administrator.
module storageAccess 'core/security/storage-role-assignments.bicep' = {
  name: 'storage-access'
  scope: rg
  dependsOn: [storage]
  params: {
    storageAccountName: storageAccountName
    roleAssignments: [
      {
        principalId: identity.outputs.principalId
        principalType: 'ServicePrincipal'
        roleDefinitionId: builtInRoles.storageBlobDataOwner
        description: 'Functions host and Durable Task hub blobs (leases), deployment package'
      }
      {
        principalId: identity.outputs.principalId
        principalType: 'ServicePrincipal'
        roleDefinitionId: builtInRoles.storageQueueDataContributor
        description: 'Durable Task control and work-item queues, provisioning request queue'
      }
      {
        principalId: identity.outputs.principalId
        principalType: 'ServicePrincipal'
        roleDefinitionId: builtInRoles.storageTableDataContributor
        description: 'Durable Task history and instance tables'
      }
    ]
  }
}

module keyVaultAccess 'core/security/key-vault-role-assignments.bicep' = {
  name: 'keyvault-access'
  scope: rg
  dependsOn: [keyVault]
  params: {
    keyVaultName: keyVaultName
    roleAssignments: concat(
      [
        {
          principalId: identity.outputs.principalId
          principalType: 'ServicePrincipal'
          roleDefinitionId: builtInRoles.keyVaultSecretsOfficer
          description: 'Writes and deletes per-VM Docker TLS secrets; resolves the signing-secret references'
        }
      ],
      empty(principalId)
        ? []
        : [
            {
              principalId: principalId
              roleDefinitionId: builtInRoles.keyVaultSecretsOfficer
              description: 'The azd operator: rotates the signing secrets, reads Docker client certificates'
            }
          ]
    )
  }
}

module monitoringAccess 'core/security/app-insights-role-assignments.bicep' = {
  name: 'monitoring-access'
  scope: rg
  dependsOn: [monitoring]
  params: {
    applicationInsightsName: applicationInsightsName
    roleAssignments: [
      {
        principalId: identity.outputs.principalId
        principalType: 'ServicePrincipal'
        roleDefinitionId: builtInRoles.monitoringMetricsPublisher
        description: 'Sends telemetry with an Entra token (local auth is disabled)'
      }
    ]
  }
}

module targetAccess 'core/security/resource-group-role-assignments.bicep' = {
  name: 'target-resource-group-access'
  scope: resourceGroup(vmResourceGroupName)
  dependsOn: [targetRg]
  params: {
    roleAssignments: [
      {
        principalId: identity.outputs.principalId
        principalType: 'ServicePrincipal'
        roleDefinitionId: builtInRoles.virtualMachineContributor
        description: 'Creates, monitors and deletes Docker VMs, their disks and VM extensions'
      }
      {
        principalId: identity.outputs.principalId
        principalType: 'ServicePrincipal'
        roleDefinitionId: builtInRoles.networkContributor
        description: 'Creates and deletes NSGs, public IPs, virtual networks and NICs for Docker VMs'
      }
    ]
  }
}

module api 'app/function-app.bicep' = {
  name: 'api'
  scope: rg
  // The app's first start resolves Key Vault references and reaches storage: grant the roles first.
  dependsOn: [storageAccess, keyVaultAccess, monitoringAccess]
  params: {
    name: functionAppName
    location: location
    tags: tags
    serviceName: serviceName
    appServicePlanId: plan.outputs.resourceId
    identityId: identity.outputs.resourceId
    identityClientId: identity.outputs.clientId
    storageBlobEndpoint: storage.outputs.blobEndpoint
    storageQueueEndpoint: storage.outputs.queueEndpoint
    storageTableEndpoint: storage.outputs.tableEndpoint
    deploymentStorageContainerName: deploymentStorageContainerName
    applicationInsightsConnectionString: monitoring.outputs.applicationInsightsConnectionString
    taskHubName: taskHubName
    keyVaultUri: keyVault.outputs.vaultUri
    callbackSigningKeySecretUri: signingSecrets.outputs.callbackSigningKeySecretUri
    webhookSigningSecretUri: signingSecrets.outputs.webhookSigningSecretUri
    webhookPreviousSigningSecretVersion: webhookPreviousSigningSecretVersion
    requestQueueName: requestQueueName
  }
}

@description('Region of the deployment.')
output AZURE_LOCATION string = location

@description('Tenant of the subscription.')
output AZURE_TENANT_ID string = tenant().tenantId

@description('Resource group of the app.')
output AZURE_RESOURCE_GROUP string = rg.name

@description('Name of the function app (azd deploy target).')
output SERVICE_API_NAME string = api.outputs.name

@description('Name of the function app.')
output AZURE_FUNCTION_NAME string = api.outputs.name

@description('Base URL of the HTTP API.')
output DOCKERVM_API_BASE_URL string = 'https://${api.outputs.defaultHostName}/api'

@description('Resource group that requests must name as resourceGroup; the app may create VMs only there.')
output DOCKERVM_TARGET_RESOURCE_GROUP string = vmResourceGroupName

@description('Name of the Key Vault holding Docker TLS material and the signing secrets.')
output AZURE_KEY_VAULT_NAME string = keyVault.outputs.name

@description('URI of the Key Vault.')
output AZURE_KEY_VAULT_ENDPOINT string = keyVault.outputs.vaultUri

@description('Key Vault secret holding the default callback signing key (share it with callback receivers).')
output DOCKERVM_CALLBACK_SIGNING_KEY_SECRET_NAME string = signingSecrets.outputs.callbackSigningKeySecretName

@description('Key Vault secret holding the inbound webhook secret (share it with webhook senders).')
output DOCKERVM_WEBHOOK_SECRET_NAME string = signingSecrets.outputs.webhookSigningSecretName

@description('Read back by the next provision (signingSecretsCreated) so that it keeps the existing secrets.')
output DOCKERVM_SIGNING_SECRETS_CREATED bool = true

@description('Storage account of the app (request queue, Durable Task hub).')
output AZURE_STORAGE_ACCOUNT_NAME string = storage.outputs.name

@description('Queue that accepts provisioning requests.')
output DOCKERVM_REQUEST_QUEUE_NAME string = requestQueueName

@description('Client id of the app\'s user-assigned identity.')
output AZURE_MANAGED_IDENTITY_CLIENT_ID string = identity.outputs.clientId
