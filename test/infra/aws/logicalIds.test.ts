import type { Template } from 'aws-cdk-lib/assertions';
import { statefulTemplate } from './synthesizeApp';
import { bucketsByRole, resourcesOfType, tablesByRole } from './templateQueries';

/**
 * Logical ids of the stateful resources, pinned. CloudFormation knows a resource only by its logical id, which
 * CDK derives from the construct path: rename or move a construct and CloudFormation sees one resource removed
 * and another added. For a bucket, table or user pool that means a new, empty resource, and the old one with all
 * its data either deleted (destroyDataOnRemoval) or orphaned outside the stack. If a change here is intended,
 * move the data first (or keep the old id with `overrideLogicalId`), then update these pins in the same commit.
 */
const PINNED = {
  'AWS::S3::Bucket': {
    consequence: 'a new empty bucket; the old one and its objects are orphaned (retained) or deleted',
    byRole: {
      raw: 'DataBucketsRaw6AF9D54B',
      curated: 'DataBucketsCuratedD959023B',
      results: 'DataBucketsResults39E4789E',
      docs: 'DataBucketsDocs6318E8B9',
      accessLogs: 'DataBucketsAccessLogs701DE79A',
    },
  },
  'AWS::DynamoDB::Table': {
    consequence: 'a new empty table; cache entries, partner grants and ETL bookmarks are lost with the old one',
    byRole: {
      cache: 'StateTablesCacheD20FFA2E',
      grants: 'StateTablesGrantsCD61809D',
      runs: 'StateTablesRunsD2EC3776',
    },
  },
  'AWS::Cognito::UserPool': {
    consequence: 'a new user pool without users: every user must be recreated and every token is invalid',
    ids: ['IdentityUserPool96FE3B9B'],
  },
  'AWS::Cognito::UserPoolGroup': {
    consequence: 'a new group without members: every user loses the access the group gave them',
    ids: [
      'IdentityUserPoolAnalystC4D03BBF',
      'IdentityUserPoolPartner39DA7639',
      'IdentityUserPoolSchoolAdminDB11D208',
      'IdentityUserPoolSteward4987ECA8',
    ],
  },
  'AWS::SecretsManager::Secret': {
    consequence:
      'a new pseudonym key: every student_key changes, so curated data loaded before and after no longer joins',
    ids: ['PseudonymKeySecretD9269686'],
  },
  'AWS::Glue::Database': {
    consequence:
      'CloudFormation creates the replacement before deleting the old database; both have the same fixed name, ' +
      'so the deployment fails with AlreadyExists and rolls back',
    ids: ['DataCatalogDatabase5B2CF2CD'],
  },
} as const;

describe('logical ids of stateful resources', () => {
  let template: Template;

  beforeAll(() => {
    template = statefulTemplate();
  });

  for (const [type, pin] of Object.entries(PINNED)) {
    it(`keeps the logical id of every ${type}`, () => {
      const actual = resourcesOfType(template, type)
        .map((r) => r.logicalId)
        .sort();
      const pinned: string[] = 'ids' in pin ? [...pin.ids] : Object.values(pin.byRole);
      const problems = [
        ...pinned.filter((id) => !actual.includes(id)).map((id) => `${type} ${id} is gone`),
        ...actual.filter((id) => !pinned.includes(id)).map((id) => `${type} ${id} is new`),
      ];
      if (problems.length > 0) problems.push(explain(type, pin.consequence));
      expect(problems).toEqual([]);
    });
  }

  it('keeps each bucket and table on the role it was created for', () => {
    const problems: string[] = [];
    const check = (type: keyof typeof PINNED, actual: Map<string, { logicalId: string }>) => {
      const pin = PINNED[type];
      if (!('byRole' in pin)) return;
      for (const [role, id] of Object.entries(pin.byRole)) {
        const found = actual.get(role)?.logicalId;
        if (found !== id) problems.push(`${type} of role ${role} is ${found ?? 'missing'}, pinned ${id}`);
      }
    };
    check('AWS::S3::Bucket', bucketsByRole(template));
    check('AWS::DynamoDB::Table', tablesByRole(template));
    expect(problems).toEqual([]);
  });
});

function explain(type: string, consequence: string): string {
  return (
    `A changed logical id makes CloudFormation replace the ${type}: ${consequence}. ` +
    'If intended, migrate the data first (or keep the old id with overrideLogicalId), then update PINNED in ' +
    'test/infra/aws/logicalIds.test.ts in the same commit.'
  );
}
