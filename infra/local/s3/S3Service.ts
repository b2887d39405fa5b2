import { randomBytes } from 'node:crypto';
import { mkdir, rm } from 'node:fs/promises';
import type { IncomingMessage, ServerResponse } from 'node:http';
import path from 'node:path';
import { pipeline } from 'node:stream/promises';

import S3rver = require('s3rver');

import { LOCAL_CREDENTIALS } from '../config';
import type { LocalService } from '../edge/LocalService';
import type { ServiceContext } from '../edge/ServiceContext';
import { AtomicFilesystemStore } from './AtomicFilesystemStore';
import { assertCopyPreconditions } from './copyPreconditions';
import { deletedKeys, readLimited } from './deleteObjectsBody';
import { answerGetObject } from './getObject';
import { LocalObjectStore } from './LocalObjectStore';
import { listObjectsXml } from './listObjects';
import { MultipartUploads } from './MultipartUploads';
import { verifyPresignedRequest } from './presignedUrl';
import { noSuchBucket, S3Error } from './S3Error';
import { type ObjectCreatedReason, S3EventPublisher, type S3EventRequest } from './S3EventPublisher';
import type { S3ObjectStore } from './S3ObjectFiles';
import { S3rverLayout } from './S3rverLayout';
import { assertStorableKey, S3rverObjectFiles } from './S3rverObjectFiles';
import { forwardedHeaders, responseHeaders, S3rverProxy } from './S3rverProxy';
import { StateDirLock } from './StateDirLock';
import { assertBucketName, isListing, type S3Target, s3Target, subresources } from './s3Request';
import { decodeBuffered, UploadBodyDecoder, uploadBodyOptions } from './UploadBodyDecoder';

/** Largest XML request body read into memory (DeleteObjects: 1,000 keys of 1,024 bytes, with their XML). */
const MAX_XML_BODY_BYTES = 2 * 1024 * 1024;

/**
 * The local S3: an embedded s3rver on a private loopback port, behind this front that makes the AWS SDK v3 and
 * the AWS CLI work as against S3. It decodes aws-chunked uploads and verifies their checksums, rewrites
 * virtual-host requests to path style, answers listings (s3rver's are unordered) and object reads (faster, and
 * s3rver's ranges are off by one) from the files itself, validates keys and multipart uploads, reports
 * `BucketAlreadyOwnedByYou`, and publishes EventBridge's `Object Created`/`Object Deleted`. PutObject is answered
 * here through `files.putObject` ({@link LocalObjectStore}), the write path engines in the stack use too.
 * Objects live under `<stateDir>/buckets` in s3rver's layout, which `files` reads in place.
 */
export class S3Service implements LocalService {
  readonly name = 's3' as const;
  private closed = false;

  private constructor(
    private readonly lock: StateDirLock,
    private readonly server: S3rver,
    private readonly proxy: S3rverProxy,
    private readonly objectFiles: S3rverObjectFiles,
    private readonly uploads: MultipartUploads,
    private readonly publisher: S3EventPublisher,
    private readonly objects: LocalObjectStore,
    private readonly log: (message: string) => void,
  ) {}

  static async create(ctx: ServiceContext): Promise<S3Service> {
    const root = path.join(ctx.stateDir, 'buckets');
    const tmp = path.join(ctx.stateDir, 'tmp');
    const lock = await StateDirLock.acquire(ctx.stateDir, 'S3');
    let port: number;
    let server: S3rver;
    let store: AtomicFilesystemStore;
    const layout = new S3rverLayout(root);
    try {
      await rm(tmp, { recursive: true, force: true }); // writes a crash interrupted: never committed
      await mkdir(root, { recursive: true });
      await mkdir(tmp, { recursive: true });
      server = new S3rver({ address: '127.0.0.1', port: 0, silent: true, directory: root, vhostBuckets: false });
      store = new AtomicFilesystemStore(layout, tmp);
      server.store = store;
      server.context.store = store;
      ({ port } = await server.run());
    } catch (err) {
      await lock.release();
      throw err;
    }
    const files = new S3rverObjectFiles(layout);
    const publisher = new S3EventPublisher(ctx.events, ctx.config.accountId);
    return new S3Service(
      lock,
      server,
      new S3rverProxy(port),
      files,
      new MultipartUploads(files.layout),
      publisher,
      new LocalObjectStore(files, store, publisher),
      ctx.log,
    );
  }

  /**
   * Stored objects as files, for engines that read S3 data in place (local Athena, Glue jobs), and the store's
   * PutObject for engines that write results (local Athena).
   */
  get files(): S3ObjectStore {
    return this.objects;
  }

  async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const requestId = randomBytes(8).toString('hex').toUpperCase();
    res.setHeader('x-amz-request-id', requestId);
    try {
      verifyPresignedRequest(req, LOCAL_CREDENTIALS);
      await this.dispatch(s3Target(req), req, res, requestId);
      // s3rver may answer (an error) before reading a whole upload: discard the rest so the connection stays usable.
      if (!req.complete) {
        req.unpipe();
        req.resume();
      }
    } catch (err) {
      const error = err instanceof S3Error ? err : new S3Error('InternalError', internalMessage(err), 500);
      const clientGone = req.socket.destroyed || res.destroyed;
      if (!(err instanceof S3Error) && !clientGone) {
        this.log(`s3: unexpected error: ${err instanceof Error ? err.stack : String(err)}`);
      }
      req.unpipe();
      req.resume(); // discard the rest of a rejected upload so the answer can be read
      if (res.headersSent || clientGone) {
        res.destroy();
        return;
      }
      const body = req.method === 'HEAD' ? '' : error.toXml(requestId);
      res.writeHead(error.status, { 'content-type': 'application/xml', 'content-length': Buffer.byteLength(body) });
      res.end(body);
    }
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.proxy.close();
    await this.server.close();
    await this.lock.release();
  }

  private async dispatch(target: S3Target, req: IncomingMessage, res: ServerResponse, requestId: string) {
    const { method, bucket, key, query } = target;
    const event = { requestId, sourceIp: req.socket.remoteAddress ?? '127.0.0.1' };
    const operation = subresources(query);
    if (bucket !== undefined) assertBucketName(bucket);
    if (key !== undefined) assertStorableKey(key);
    const createsBucket = method === 'PUT' && key === undefined && operation.length === 0;
    if (bucket !== undefined && !createsBucket && !(await this.objectFiles.bucketExists(bucket))) {
      throw noSuchBucket(bucket);
    }

    if (bucket !== undefined && key === undefined) {
      if ((method === 'GET' || method === 'HEAD') && isListing(query)) {
        const xml = await listObjectsXml(this.objectFiles, bucket, query);
        res.writeHead(200, { 'content-type': 'application/xml', 'content-length': Buffer.byteLength(xml) });
        res.end(method === 'HEAD' ? undefined : xml);
        return;
      }
      if (createsBucket && (await this.objectFiles.bucketExists(bucket))) {
        throw new S3Error(
          'BucketAlreadyOwnedByYou',
          'Your previous request to create the named bucket succeeded and you already own it.',
          409,
          { BucketName: bucket },
        );
      }
      if (method === 'POST' && operation.length === 0) {
        // Browser form uploads name their key inside the body, beyond the key checks above: not offered locally.
        throw new S3Error(
          'NotImplemented',
          'POST Object (browser-based form uploads) is not available on the local S3.',
          501,
        );
      }
      if (method === 'POST' && operation.includes('delete')) {
        await this.deleteObjects(target, bucket, req, res, event);
        return;
      }
    }

    if (bucket !== undefined && key !== undefined) {
      const uploadId = query.get('uploadId');
      if (uploadId !== null) await this.uploads.assertUpload(bucket, uploadId);
      const partNumber = query.get('partNumber');
      if (partNumber !== null && !/^([1-9]\d{0,3}|10000)$/.test(partNumber)) {
        throw new S3Error('InvalidArgument', 'Part number must be an integer between 1 and 10000, inclusive.', 400, {
          ArgumentName: 'partNumber',
          ArgumentValue: partNumber,
        });
      }
      if ((method === 'GET' || method === 'HEAD') && operation.length === 0) {
        await answerGetObject(this.objectFiles, { bucket, key, method, query }, req, res);
        return;
      }
      if (method === 'DELETE' && uploadId !== null && operation.length === 1) {
        await this.uploads.abort(bucket, uploadId);
        res.writeHead(204).end();
        return;
      }
      if (method === 'DELETE' && operation.length === 0) {
        const existed = await this.objectFiles.stat(bucket, key);
        const upstream = await this.proxy.send(method, target.pathAndQuery, forwardedHeaders(req.headers, undefined));
        await this.relayAfter(upstream, res, () => {
          if (existed) this.publisher.deleted(bucket, key, event);
        });
        return;
      }
      if (method === 'PUT' && req.headers['x-amz-copy-source'] !== undefined) {
        const source = await this.assertCopySource(String(req.headers['x-amz-copy-source']));
        await assertCopyPreconditions(this.objectFiles, source, req);
        // s3rver decodes the header with decodeURI, which keeps reserved characters escaped: a key with `=`
        // (`v=<runId>/`), which the AWS SDK for Java (s3a) sends as `%3D`, would be looked up as `v%3D…`.
        req.headers['x-amz-copy-source'] = `/${source.bucket}/${encodeURI(source.key)}`;
      }
      let buffered: Buffer | undefined;
      if (method === 'POST' && uploadId !== null) {
        buffered = await readLimited(req, MAX_XML_BODY_BYTES);
        await this.uploads.assertCompletable(bucket, uploadId, buffered);
      }
      const reason = createdReason(method, operation, req);
      if (reason === 'PutObject') {
        await this.putObject(bucket, key, req, res, event);
        return;
      }
      if (reason) {
        await this.relayAfter(await this.forward(target, req, buffered), res, async () => {
          const stored = await this.objectFiles.stat(bucket, key);
          if (stored) this.publisher.created(stored, reason, event);
        });
        return;
      }
    }
    await this.relay(await this.forward(target, req), res);
  }

  /** PutObject: the body decoded and verified on its way into the store's write path, then `200` with the ETag. */
  private async putObject(
    bucket: string,
    key: string,
    req: IncomingMessage,
    res: ServerResponse,
    caller: S3EventRequest,
  ): Promise<void> {
    const decoder = decodedBody(req, new UploadBodyDecoder(uploadBodyOptions(req.headers, true)));
    // A bad body can fail the decoder before the store's pipeline listens (while it makes its folder): the
    // pipeline still sees the stored error; this only keeps it from being an unhandled 'error' event.
    decoder.on('error', () => {});
    const stored = await this.objects.putObject({ bucket, key, body: decoder, headers: req.headers }, caller);
    res.writeHead(200, { etag: `"${stored.etag}"`, 'content-length': 0 });
    res.end();
  }

  private async deleteObjects(
    target: S3Target,
    bucket: string,
    req: IncomingMessage,
    res: ServerResponse,
    event: S3EventRequest,
  ): Promise<void> {
    const body = await decodeBuffered(req.headers, await readLimited(req, MAX_XML_BODY_BYTES));
    const keys = deletedKeys(body);
    for (const key of keys) assertStorableKey(key);
    const existed = await Promise.all(keys.map((key) => this.objectFiles.stat(bucket, key)));
    const headers = forwardedHeaders(req.headers, body.length);
    await this.relayAfter(await this.proxy.send('POST', target.pathAndQuery, headers, body), res, () => {
      for (const object of existed) if (object) this.publisher.deleted(bucket, object.key, event);
    });
  }

  /** `x-amz-copy-source: /bucket/key` (URL-encoded, optionally `?versionId=`) names a storable object. */
  private async assertCopySource(header: string): Promise<{ bucket: string; key: string }> {
    let source: string;
    try {
      source = decodeURIComponent(header.split('?')[0] ?? '').replace(/^\//, '');
    } catch {
      throw new S3Error('InvalidArgument', 'Invalid copy source encoding.');
    }
    const slash = source.indexOf('/');
    if (slash <= 0 || slash === source.length - 1) {
      throw new S3Error(
        'InvalidArgument',
        'Copy Source must mention the source bucket and key: sourcebucket/sourcekey.',
      );
    }
    const bucket = source.slice(0, slash);
    const key = source.slice(slash + 1);
    assertBucketName(bucket);
    assertStorableKey(key);
    return { bucket, key };
  }

  /** Forwards a request, streaming a PUT/POST body through the aws-chunked decoder and checksum verifier. */
  private async forward(target: S3Target, req: IncomingMessage, buffered?: Buffer): Promise<IncomingMessage> {
    const { method, pathAndQuery, query } = target;
    if (method !== 'PUT' && method !== 'POST') {
      return this.proxy.send(method, pathAndQuery, forwardedHeaders(req.headers, undefined));
    }
    const describesBody =
      !(method === 'POST' && query.has('uploadId')) && req.headers['x-amz-copy-source'] === undefined;
    const options = uploadBodyOptions(req.headers, describesBody, buffered?.length);
    const decoder = new UploadBodyDecoder(options);
    if (buffered) decoder.end(buffered);
    else decodedBody(req, decoder);
    return this.proxy.send(method, pathAndQuery, forwardedHeaders(req.headers, options.declaredLength), decoder);
  }

  /** Streams s3rver's response (an object's body, say) to the client. */
  private async relay(upstream: IncomingMessage, res: ServerResponse): Promise<void> {
    res.writeHead(upstream.statusCode ?? 500, responseHeaders(upstream.headers));
    await pipeline(upstream, res);
  }

  /**
   * Relays a small response (no object body) after running `onSuccess` when it is a 2xx, so an event is
   * published before the client learns that its write succeeded, as a test or a caller awaiting both expects.
   */
  private async relayAfter(
    upstream: IncomingMessage,
    res: ServerResponse,
    onSuccess: () => Promise<void> | void,
  ): Promise<void> {
    const status = upstream.statusCode ?? 500;
    const chunks: Buffer[] = [];
    for await (const chunk of upstream) chunks.push(chunk as Buffer);
    if (status >= 200 && status < 300) await onSuccess();
    res.writeHead(status, responseHeaders(upstream.headers));
    res.end(Buffer.concat(chunks));
  }
}

/**
 * Pipes a request's body into its decoder; the client leaving before the whole body arrived fails the decoder,
 * so nothing is stored. The client may have gone while the bucket was checked, before these listeners existed:
 * its 'aborted' has fired already, and a write waiting for the rest of the body would never end.
 */
function decodedBody(req: IncomingMessage, decoder: UploadBodyDecoder): UploadBodyDecoder {
  const brokenOff = () => new Error('The client closed the connection during the upload.');
  req.on('error', (err) => decoder.destroy(err));
  req.on('aborted', () => decoder.destroy(brokenOff()));
  req.on('close', () => {
    if (!req.complete) decoder.destroy(brokenOff());
  });
  if (req.destroyed && !req.complete) decoder.destroy(brokenOff());
  else req.pipe(decoder);
  return decoder;
}

/** Which `Object Created` reason a successful request produces, if any. */
function createdReason(method: string, operation: string[], req: IncomingMessage): ObjectCreatedReason | undefined {
  if (method === 'PUT' && operation.length === 0) {
    return req.headers['x-amz-copy-source'] === undefined ? 'PutObject' : 'CopyObject';
  }
  if (method === 'POST' && operation.length === 1 && operation[0] === 'uploadId') return 'CompleteMultipartUpload';
  return undefined;
}

function internalMessage(err: unknown): string {
  return `We encountered an internal error: ${err instanceof Error ? err.message : String(err)}`;
}
