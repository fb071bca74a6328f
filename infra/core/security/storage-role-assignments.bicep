metadata description = 'Role assignments scoped to one storage account (data-plane roles only).'

import { roleAssignmentType } from 'role-types.bicep'

@description('Name of the storage account in this resource group.')
param storageAccountName string

@description('Role assignments to create on the account.')
param roleAssignments roleAssignmentType[]

resource storage 'Microsoft.Storage/storageAccounts@2026-06-01' existing = {
  name: storageAccountName
}

resource assignments 'Microsoft.Authorization/roleAssignments@2022-04-01' = [
  for assignment in roleAssignments: {
    name: guid(storage.id, assignment.principalId, assignment.roleDefinitionId)
    scope: storage
    properties: {
      principalId: assignment.principalId
      roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', assignment.roleDefinitionId)
      principalType: assignment.?principalType
      description: assignment.description
    }
  }
]
