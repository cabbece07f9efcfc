import path from 'node:path';
import { parseHostArgs, HOST_USAGE } from './host-args';
import { startBrowserHost } from './server';
import { openInChromium } from './open-browser';
import { resolveProfile } from '../profile/profile-paths';
import { createAppLogger } from '../platform/app-logger';

/** Runs the browser host from the command line until interrupted. Returns the exit code on failure. */
export async function runHost(argv: string[]): Promise<number | null> {
  let args;
  try {
    args = parseHostArgs(argv);
  } catch (e) {
    process.stderr.write(`remote-assist host: ${(e as Error).message}\n\n${HOST_USAGE}\n`);
    return 2;
  }
  if (args.help) {
    process.stdout.write(HOST_USAGE + '\n');
    return 0;
  }
  if (args.display) process.env.DISPLAY = args.display;
  const profile = resolveProfile(args.profile);
  const logger = createAppLogger(profile.appLogFile);
  const host = await startBrowserHost({
    role: args.role,
    profile,
    logger,
    port: args.port,
    launch: args.launch,
    ...(args.display ? { display: args.display } : {}),
  });
  // Tests and scripts read this exact line to find the page.
  process.stdout.write(`Remote Assist is running at ${host.url}\n`);
  if (args.open) {
    const opened = openInChromium(host.url, path.join(profile.configDir, 'browser'));
    if (!opened) process.stdout.write('No Chromium or Chrome was found; open the address above in one (screen sharing needs a Chromium-family browser).\n');
  }
  const stop = (signal: string) => {
    logger.info('stopping', { signal });
    void host.close().finally(() => process.exit(0));
  };
  process.once('SIGINT', () => stop('SIGINT'));
  process.once('SIGTERM', () => stop('SIGTERM'));
  return null;
}
