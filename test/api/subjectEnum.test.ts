import { loadOpenApiContract } from '../../api/http/openapiDocument';
import { SUBJECTS } from '../../etl/schemas/examResults';

describe('openapi.yaml', () => {
  it('allows exactly the subjects the exam_results schema allows', () => {
    const schemas = loadOpenApiContract().document.components?.schemas as Record<string, { enum?: string[] }>;
    expect(schemas.SubjectName?.enum).toEqual([...SUBJECTS]);
  });
});
