import { loadApiConfig } from './config';
import { createApi } from './createApi';
import type { ProxyHandler } from './http/proxyHandler';

/*
 * The Lambda entry, and nothing else: no module imports this one. The composition root (`createApi.ts`) wires the
 * API from a configuration; this file only reads the environment once and builds it on the first invocation.
 */

let cached: ProxyHandler | undefined;

/** The Lambda entry point: builds the API from the environment on the first invocation (cold start). */
export const handler: ProxyHandler = async (event, context) => {
  if (!cached) {
    const config = loadApiConfig(process.env);
    cached = (await createApi(config)).handler;
  }
  return cached(event, context);
};
