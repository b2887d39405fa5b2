import type { Template } from 'aws-cdk-lib/assertions';
import { BUCKET_ROLE_TAG } from '../../../infra/aws/constructs/DataBuckets';
import { TABLE_ROLE_TAG } from '../../../infra/aws/constructs/StateTables';

/** A CloudFormation resource as it appears in a synthesized template, with the key it is stored under. */
export interface TemplateResource {
  readonly logicalId: string;
  readonly Type: string;
  // biome-ignore lint/suspicious/noExplicitAny: template JSON is untyped; tests navigate it freely.
  readonly Properties: Record<string, any>;
  readonly DeletionPolicy?: string;
  readonly UpdateReplacePolicy?: string;
}

/** Every resource of a type. */
export function resourcesOfType(template: Template, type: string): TemplateResource[] {
  return Object.entries(template.findResources(type)).map(
    ([logicalId, resource]) => ({ logicalId, ...resource }) as TemplateResource,
  );
}

/** Resources of a type, keyed by the value of a role tag. Fails if two resources carry the same role. */
export function resourcesByRole(template: Template, type: string, tag: string): Map<string, TemplateResource> {
  const byRole = new Map<string, TemplateResource>();
  for (const resource of resourcesOfType(template, type)) {
    const tags = (resource.Properties.Tags ?? []) as { Key: string; Value: string }[];
    const role = tags.find((t) => t.Key === tag)?.Value;
    if (role === undefined) throw new Error(`${resource.logicalId} has no ${tag} tag`);
    if (byRole.has(role)) throw new Error(`Two ${type} resources have the role ${role}`);
    byRole.set(role, resource);
  }
  return byRole;
}

export const bucketsByRole = (template: Template) => resourcesByRole(template, 'AWS::S3::Bucket', BUCKET_ROLE_TAG);
export const tablesByRole = (template: Template) => resourcesByRole(template, 'AWS::DynamoDB::Table', TABLE_ROLE_TAG);

/** The one resource with this role; fails the test if there is none. */
export function roleOf(byRole: Map<string, TemplateResource>, role: string): TemplateResource {
  const resource = byRole.get(role);
  if (!resource) throw new Error(`No resource with the role ${role}; roles: ${[...byRole.keys()].join(', ')}`);
  return resource;
}
