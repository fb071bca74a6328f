metadata description = 'A user-assigned managed identity: the one identity the Function App uses for storage, Key Vault and ARM.'

@description('Name of the identity.')
param name string

@description('Azure region.')
param location string

@description('Tags for the identity.')
param tags { *: string }

resource identity 'Microsoft.ManagedIdentity/userAssignedIdentities@2024-11-30' = {
  name: name
  location: location
  tags: tags
}

@description('Resource id of the identity.')
output resourceId string = identity.id

@description('Object (principal) id, used for role assignments.')
output principalId string = identity.properties.principalId

@description('Client id, used by the app (Azure:ManagedIdentityClientId, AzureWebJobsStorage__clientId).')
output clientId string = identity.properties.clientId

@description('Name of the identity.')
output name string = identity.name
