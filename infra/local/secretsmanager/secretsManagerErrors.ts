import { AwsServiceError } from '../edge/AwsServiceError';

/**
 * The Secrets Manager exceptions the local service raises, in its wording, so the SDK raises its real classes
 * (`ResourceNotFoundException`, `ResourceExistsException`, `InvalidRequestException`, ...).
 */
export const secretsManagerErrors = {
  secretNotFound: () =>
    new AwsServiceError('ResourceNotFoundException', "Secrets Manager can't find the specified secret."),
  stageNotFound: (stage: string) =>
    new AwsServiceError(
      'ResourceNotFoundException',
      `Secrets Manager can't find the specified secret value for staging label: ${stage}`,
    ),
  versionNotFound: (versionId: string) =>
    new AwsServiceError(
      'ResourceNotFoundException',
      `Secrets Manager can't find the specified secret value for VersionId: ${versionId}`,
    ),
  alreadyExists: (name: string) =>
    new AwsServiceError('ResourceExistsException', `The operation failed because the secret ${name} already exists.`),
  versionExists: () =>
    new AwsServiceError(
      'ResourceExistsException',
      "You can't modify an existing version, you can only create a new version.",
    ),
  scheduledForDeletion: () =>
    new AwsServiceError(
      'InvalidRequestException',
      "You can't perform this operation on the secret because it was marked for deletion.",
    ),
  nameScheduledForDeletion: () =>
    new AwsServiceError(
      'InvalidRequestException',
      "You can't create this secret because a secret with this name is already scheduled for deletion.",
    ),
  notScheduledForDeletion: () =>
    new AwsServiceError(
      'InvalidRequestException',
      "You can't perform this operation on the secret because it's not marked for deletion.",
    ),
  invalidParameter: (message: string) => new AwsServiceError('InvalidParameterException', message),
  invalidRequest: (message: string) => new AwsServiceError('InvalidRequestException', message),
  invalidNextToken: () =>
    new AwsServiceError(
      'InvalidNextTokenException',
      'The NextToken value is invalid: pass the NextToken of the previous response.',
    ),
} as const;
