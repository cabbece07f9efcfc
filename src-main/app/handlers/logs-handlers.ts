import path from 'node:path';
import type { Handlers } from '../../../src-shared/rpc/rpc-server';
import { listSessions, readEvents, resolveLogFile } from '../../audit/log-reader';
import { verifyLog } from '../../audit/verify';
import { exportSessionJson, exportSessionXml } from '../../audit/export-xml';
import { AppError } from '../../../src-shared/contract/errors';

/** Opens a folder in the desktop's file manager (Electron); null in the browser host. */
export type OpenFolder = ((dir: string) => Promise<boolean>) | null;

/** Session ids are file stems like 20261125140307 or 20261125140307-2: nothing else is looked up. */
const LOG_ID = /^\d{14}(?:-\d+)?$/;

/** `logs.*`: the Logs page. Reads only this profile's log folder, by id, never arbitrary paths. */
export function logsHandlers(logsDir: string, openFolder: OpenFolder): Pick<Handlers, 'logs.list' | 'logs.read' | 'logs.export' | 'logs.verify' | 'logs.openFolder'> {
  const fileFor = async (id: string) => {
    if (!LOG_ID.test(id)) throw new AppError('invalid-input', 'That is not a session log id.');
    return resolveLogFile(logsDir, id);
  };
  return {
    'logs.list': async () => {
      const sessions = await listSessions(logsDir).catch((e: NodeJS.ErrnoException) => {
        if (e.code === 'ENOENT') return [];
        throw e;
      });
      return {
        folder: logsDir,
        sessions: sessions
          .map(({ id, startedAt, kind, role, peerName, peerAddress, durationMs, outcome, eventCount, problem }) => ({ id, startedAt, kind, role, peerName, peerAddress, durationMs, outcome, eventCount, problem }))
          .sort((a, b) => (b.id > a.id ? 1 : -1)),
      };
    },
    'logs.read': async ({ id, offset, limit, types, search }) => {
      const page = await readEvents(await fileFor(id), { offset, limit, ...(types ? { types } : {}), ...(search ? { search } : {}) });
      return {
        total: page.total,
        offset: page.offset,
        truncatedTail: page.truncatedTail,
        events: page.events.map((l) => {
          const { type, ...fields } = l.event as { type: string } & Record<string, unknown>;
          return { seq: l.seq, time: l.time, type, fields };
        }),
      };
    },
    'logs.export': async ({ id, format }) => {
      const file = await fileFor(id);
      return { fileName: `${path.basename(file, '.jsonl')}.${format}`, text: format === 'xml' ? await exportSessionXml(file) : await exportSessionJson(file) };
    },
    'logs.verify': async ({ id }) => {
      const r = await verifyLog(await fileFor(id));
      return r.ok ? { ok: true, message: `Intact: ${r.lines} lines, none altered or removed.` } : { ok: false, message: `Line ${r.firstBadLine}: ${r.problem} — ${r.detail}` };
    },
    'logs.openFolder': async () => ({ path: logsDir, opened: openFolder ? await openFolder(logsDir) : false }),
  };
}
