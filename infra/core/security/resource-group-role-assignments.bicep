metadata description = 'Role assignments scoped to the resource group this module is deployed to (the target group for Docker VMs).'

import { roleAssignmentType } from 'role-types.bicep'

@description('Role assignments to create on this resource group.')
param roleAssignments roleAssignmentType[]

resource assignments 'Microsoft.Authorization/roleAssignments@2022-04-01' = [
  for assignment in roleAssignments: {
    name: guid(resourceGroup().id, assignment.principalId, assignment.roleDefinitionId)
    properties: {
      principalId: assignment.principalId
      roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', assignment.roleDefinitionId)
      principalType: assignment.?principalType
      description: assignment.description
    }
  }
]
