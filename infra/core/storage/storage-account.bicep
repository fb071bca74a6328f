metadata description = 'The app\'s storage account: Functions host, Durable Task hub (blobs, queues, tables), request queue and the Flex Consumption deployment container. Shared keys are off: everything goes through Entra ID.'

@description('Name of the storage account (3-24 lowercase letters and digits).')
@minLength(3)
@maxLength(24)
param name string

@description('Azure region.')
param location string

@description('Tags for the account.')
param tags { *: string }

@description('Blob containers to create (the Flex Consumption deployment package container).')
param containerNames string[]

@description('Queues to create (the provisioning request queue and its poison queue).')
param queueNames string[]

resource storage 'Microsoft.Storage/storageAccounts@2026-06-01' = {
  name: name
  location: location
  tags: tags
  kind: 'StorageV2'
  sku: {
    name: 'Standard_LRS'
  }
  properties: {
    accessTier: 'Hot'
    allowBlobPublicAccess: false
    allowCrossTenantReplication: false
    // No account keys or SAS signed with them: the app reaches storage with its managed identity only.
    allowSharedKeyAccess: false
    defaultToOAuthAuthentication: true
    dnsEndpointType: 'Standard'
    minimumTlsVersion: 'TLS1_2'
    publicNetworkAccess: 'Enabled'
    supportsHttpsTrafficOnly: true
    networkAcls: {
      bypass: 'AzureServices'
      defaultAction: 'Allow'
    }
  }

  resource blobServices 'blobServices' = {
    name: 'default'

    resource containers 'containers' = [
      for containerName in containerNames: {
        name: containerName
        properties: {
          publicAccess: 'None'
        }
      }
    ]
  }

  resource queueServices 'queueServices' = {
    name: 'default'

    resource queues 'queues' = [
      for queueName in queueNames: {
        name: queueName
      }
    ]
  }
}

@description('Name of the storage account.')
output name string = storage.name

@description('Resource id of the storage account.')
output resourceId string = storage.id

@description('Blob endpoint, with a trailing slash.')
output blobEndpoint string = storage.properties.primaryEndpoints.blob

@description('Queue endpoint, with a trailing slash.')
output queueEndpoint string = storage.properties.primaryEndpoints.queue

@description('Table endpoint, with a trailing slash.')
output tableEndpoint string = storage.properties.primaryEndpoints.table
