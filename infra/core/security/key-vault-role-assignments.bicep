metadata description = 'Role assignments scoped to one Key Vault.'

import { roleAssignmentType } from 'role-types.bicep'

@description('Name of the vault in this resource group.')
param keyVaultName string

@description('Role assignments to create on the vault.')
param roleAssignments roleAssignmentType[]

resource vault 'Microsoft.KeyVault/vaults@2026-05-15' existing = {
  name: keyVaultName
}

resource assignments 'Microsoft.Authorization/roleAssignments@2022-04-01' = [
  for assignment in roleAssignments: {
    name: guid(vault.id, assignment.principalId, assignment.roleDefinitionId)
    scope: vault
    properties: {
      principalId: assignment.principalId
      roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', assignment.roleDefinitionId)
      principalType: assignment.?principalType
      description: assignment.description
    }
  }
]
