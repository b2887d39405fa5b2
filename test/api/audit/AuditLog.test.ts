import { AuditLog, type AuditRecord } from '../../../api/audit/AuditLog';

const RECORD: AuditRecord = {
  requestId: 'req-1',
  operationId: 'runReport',
  method: 'GET',
  path: '/v1/reports/school-summary',
  principal: 'sub-1',
  role: 'partner',
  partnerId: 'acme',
  resource: 'school-summary',
  scopeFingerprint: 'f'.repeat(64),
  cacheKey: null,
  rowsReturned: null,
  decision: 'deny',
  status: 403,
  reason: 'OUT_OF_SCOPE',
};

function linesOf(options: { serviceName?: string; traceIds?: boolean } = {}): { log: AuditLog; lines: string[] } {
  const lines: string[] = [];
  return { log: new AuditLog({ ...options, write: (line) => lines.push(line) }), lines };
}

describe('AuditLog', () => {
  const traceHeader = process.env['_X_AMZN_TRACE_ID'];
  afterEach(() => {
    if (traceHeader === undefined) delete process.env['_X_AMZN_TRACE_ID'];
    else process.env['_X_AMZN_TRACE_ID'] = traceHeader;
  });

  it('writes each record as one JSON line in the shape of the API log lines, nulls kept', () => {
    const { log, lines } = linesOf();
    log.record(RECORD);
    expect(lines).toHaveLength(1);
    expect(lines[0]!.endsWith('}\n')).toBe(true);
    expect(lines[0]!.indexOf('\n')).toBe(lines[0]!.length - 1);
    const parsed = JSON.parse(lines[0]!) as Record<string, unknown>;
    expect(parsed).toEqual({
      level: 'INFO',
      message: 'audit deny runReport',
      timestamp: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/),
      service: 'examlake-api',
      log: 'audit',
      audit: RECORD,
    });
    expect(Math.abs(Date.parse(parsed['timestamp'] as string) - Date.now())).toBeLessThan(60_000);
  });

  it('adds the X-Ray trace id of the invocation when Lambda provides one', () => {
    process.env['_X_AMZN_TRACE_ID'] = 'Root=1-5759e988-bd862e3fe1be46a994272793;Parent=53995c3f42cd8ad8;Sampled=1';
    const { log, lines } = linesOf({ serviceName: 'examlake-api-prod', traceIds: true });
    log.record(RECORD);
    expect(JSON.parse(lines[0]!)).toMatchObject({
      service: 'examlake-api-prod',
      xray_trace_id: '1-5759e988-bd862e3fe1be46a994272793',
    });
  });

  it('reads trace ids only on Lambda unless told to', () => {
    process.env['_X_AMZN_TRACE_ID'] = 'Root=1-5759e988-bd862e3fe1be46a994272793;Sampled=1';
    const lambda = process.env['AWS_LAMBDA_FUNCTION_NAME'];
    try {
      delete process.env['AWS_LAMBDA_FUNCTION_NAME'];
      const local = linesOf();
      local.log.record(RECORD);
      expect(JSON.parse(local.lines[0]!)).not.toHaveProperty('xray_trace_id');
      process.env['AWS_LAMBDA_FUNCTION_NAME'] = 'examlake-api';
      const onLambda = linesOf();
      onLambda.log.record(RECORD);
      expect(JSON.parse(onLambda.lines[0]!)).toHaveProperty('xray_trace_id', '1-5759e988-bd862e3fe1be46a994272793');
    } finally {
      if (lambda === undefined) delete process.env['AWS_LAMBDA_FUNCTION_NAME'];
      else process.env['AWS_LAMBDA_FUNCTION_NAME'] = lambda;
    }
  });

  it('escapes what callers control, so a crafted path cannot forge fields or lines', () => {
    const { log, lines } = linesOf();
    log.record({ ...RECORD, path: '/v1/x","decision":"allow"}\n{"forged":"', operationId: 'a"b' });
    expect(lines).toHaveLength(1);
    expect(lines[0]!.split('\n')).toEqual([expect.any(String), '']);
    const parsed = JSON.parse(lines[0]!) as { message: string; audit: AuditRecord };
    expect(parsed.audit.decision).toBe('deny');
    expect(parsed.audit.path).toBe('/v1/x","decision":"allow"}\n{"forged":"');
    expect(parsed.message).toBe('audit deny a"b');
  });

  it('writes to stdout by default', () => {
    const spy = jest.spyOn(process.stdout, 'write').mockImplementation(() => true);
    try {
      new AuditLog().record(RECORD);
      expect(spy).toHaveBeenCalledTimes(1);
      expect(JSON.parse(String(spy.mock.calls[0]![0]))).toMatchObject({ log: 'audit', audit: RECORD });
    } finally {
      spy.mockRestore();
    }
  });
});
