metadata description = 'Role assignments scoped to one Application Insights component.'

import { roleAssignmentType } from 'role-types.bicep'

@description('Name of the Application Insights component in this resource group.')
param applicationInsightsName string

@description('Role assignments to create on the component.')
param roleAssignments roleAssignmentType[]

resource applicationInsights 'Microsoft.Insights/components@2020-02-02' existing = {
  name: applicationInsightsName
}

resource assignments 'Microsoft.Authorization/roleAssignments@2022-04-01' = [
  for assignment in roleAssignments: {
    name: guid(applicationInsights.id, assignment.principalId, assignment.roleDefinitionId)
    scope: applicationInsights
    properties: {
      principalId: assignment.principalId
      roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', assignment.roleDefinitionId)
      principalType: assignment.?principalType
      description: assignment.description
    }
  }
]
