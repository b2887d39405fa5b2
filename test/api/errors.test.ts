import { ValidationError, withoutFinalStop } from '../../api/errors';
import { problemResponse } from '../../api/http/problemResponse';

describe('problem details', () => {
  it('end a validation detail in one full stop, whatever the field messages end in', () => {
    const err = new ValidationError([
      { in: 'body', name: '/sql', message: 'Add LIMIT n.' },
      { in: 'query', name: 'pageSize', message: 'must be <= 1000' },
    ]);
    expect(err.message).toBe('body field /sql Add LIMIT n; query parameter pageSize must be <= 1000.');
    expect(withoutFinalStop('Done...  ')).toBe('Done');
  });

  it('name their type under the documented base', () => {
    const body = JSON.parse(String(problemResponse(new ValidationError([]), '/x', 'r').body));
    expect(body.type).toBe('https://github.com/examlake/examlake/blob/main/docs/api.md#validation-failed');
  });
});
