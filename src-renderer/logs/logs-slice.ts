import type { LogEventView, LogSessionView } from '../../src-shared/contract/index';
import { errorText, type Slice } from '../store/app-store';

export const LOG_PAGE_SIZE = 200;

export interface LogsSlice {
  logSessions: LogSessionView[];
  logsFolder: string | null;
  selectedLog: string | null;
  logEvents: LogEventView[];
  logTotal: number;
  logOffset: number;
  logFilter: { type: string; search: string };
  logsBusy: boolean;
  logsMessage: string | null;
  loadLogSessions(): Promise<void>;
  selectLog(id: string): Promise<void>;
  setLogFilter(filter: { type: string; search: string }): Promise<void>;
  loadLogPage(offset: number): Promise<void>;
  exportLog(format: 'json' | 'xml'): Promise<{ fileName: string; text: string } | null>;
  verifyLog(): Promise<void>;
  openLogsFolder(): Promise<void>;
}

export const createLogsSlice: Slice<LogsSlice> = (set, get) => {
  const guard = async (fn: () => Promise<void>) => {
    set({ logsBusy: true });
    try {
      await fn();
    } catch (e) {
      set({ logsMessage: errorText(e) });
    } finally {
      set({ logsBusy: false });
    }
  };
  return {
    logSessions: [],
    logsFolder: null,
    selectedLog: null,
    logEvents: [],
    logTotal: 0,
    logOffset: 0,
    logFilter: { type: '', search: '' },
    logsBusy: false,
    logsMessage: null,
    loadLogSessions: () =>
      guard(async () => {
        const r = await get().client.invoke('logs.list', {});
        set({ logSessions: r.sessions, logsFolder: r.folder });
      }),
    async selectLog(id) {
      set({ selectedLog: id, logsMessage: null, logFilter: { type: '', search: '' } });
      await get().loadLogPage(0);
    },
    async setLogFilter(filter) {
      set({ logFilter: filter });
      await get().loadLogPage(0);
    },
    loadLogPage: (offset) =>
      guard(async () => {
        const id = get().selectedLog;
        if (!id) return;
        const { type, search } = get().logFilter;
        const r = await get().client.invoke('logs.read', { id, offset, limit: LOG_PAGE_SIZE, ...(type ? { types: [type] } : {}), ...(search ? { search } : {}) });
        set({ logEvents: r.events, logTotal: r.total, logOffset: r.offset, ...(r.truncatedTail ? { logsMessage: 'The end of this log is incomplete: the app stopped while writing it.' } : {}) });
      }),
    async exportLog(format) {
      const id = get().selectedLog;
      if (!id) return null;
      try {
        return await get().client.invoke('logs.export', { id, format });
      } catch (e) {
        set({ logsMessage: errorText(e) });
        return null;
      }
    },
    verifyLog: () =>
      guard(async () => {
        const id = get().selectedLog;
        if (!id) return;
        const r = await get().client.invoke('logs.verify', { id });
        set({ logsMessage: r.message });
      }),
    openLogsFolder: () =>
      guard(async () => {
        const r = await get().client.invoke('logs.openFolder', {});
        if (!r.opened) set({ logsMessage: `The logs are in ${r.path}` });
      }),
  };
};
