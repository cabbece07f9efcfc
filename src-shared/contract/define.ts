import type { z } from 'zod';

/** One RPC method: the request the caller sends and the response it gets, both as zod schemas. */
export interface MethodSpec<Req extends z.ZodType = z.ZodType, Res extends z.ZodType = z.ZodType> {
  readonly request: Req;
  readonly response: Res;
}

/** Declares a method; a helper only so that call sites read as `method(request, response)`. */
export function method<Req extends z.ZodType, Res extends z.ZodType>(request: Req, response: Res): MethodSpec<Req, Res> {
  return { request, response };
}
