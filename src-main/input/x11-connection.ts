import x11, { type XClient, type XInputExtension, type XTestExtension } from 'x11';

type Extensions = { xtest: XTestExtension; xinput: XInputExtension };
const EXTENSION_NAMES: Record<keyof Extensions, string> = { xtest: 'XTEST', xinput: 'XInput' };

/**
 * Connects to an X display and loads one extension, within `timeoutMs`. Resolves with the client
 * (no 'error' listener left on it: the caller installs its own) or rejects with a plain Error
 * saying what was missing; a half-open connection is abandoned first.
 */
export async function connectX11<N extends keyof Extensions>(display: string, extension: N, timeoutMs: number): Promise<{ client: XClient; ext: Extensions[N] }> {
  let client: XClient | undefined;
  try {
    const result = await new Promise<{ client: XClient; ext: Extensions[N] }>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no answer within ${timeoutMs} ms`)), timeoutMs);
      const fail = (error: Error) => {
        clearTimeout(timer);
        reject(error);
      };
      const c = x11.createClient({ display }, (err) => {
        if (err) return fail(err);
        const loaded = (extErr: Error | null | undefined, ext: Extensions[N]) => {
          if (extErr || !ext) return fail(new Error(`the X server has no ${EXTENSION_NAMES[extension]} extension`));
          clearTimeout(timer);
          resolve({ client: c, ext });
        };
        (c.require as (name: N, cb: typeof loaded) => void)(extension, loaded);
      });
      client = c;
      c.on('error', fail); // an unhandled 'error' would throw
    });
    result.client.removeAllListeners('error');
    return result;
  } catch (error) {
    if (client) abandonX11(client);
    throw error;
  }
}

/** Hangs up a connection we no longer want, whatever state it is in; its late errors are ignored. */
export function abandonX11(client: XClient): void {
  client.removeAllListeners('error');
  client.on('error', () => undefined);
  try {
    client.terminate();
  } catch {
    client.once('connect', () => client.terminate()); // still connecting (timed out): hang up when it gets there
  }
}
