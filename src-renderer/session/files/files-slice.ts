import type { TransferView } from '../../../src-shared/contract/index';
import { errorText, type Slice } from '../../store/app-store';

/** A file being handed to main before it can be offered (browser host uploads). */
export interface Upload {
  id: string;
  name: string;
  loaded: number;
  total: number;
  error: string | null;
}

export interface FilesSlice {
  transfers: TransferView[];
  uploads: Upload[];
  filesEnabled: boolean;
  filesDisabledReason: string | null;
  filesError: string | null;
  initFiles(): Promise<void>;
  refreshFiles(): Promise<void>;
  /** Sends files the user picked or dropped in the page. */
  sendFiles(files: File[]): Promise<void>;
  /** Electron: main's own file dialog picks and sends. */
  pickAndSendFiles(): Promise<void>;
  cancelTransfer(transferId: string): Promise<void>;
}

let uploadCounter = 0;

export const createFilesSlice: Slice<FilesSlice> = (set, get) => ({
  transfers: [],
  uploads: [],
  filesEnabled: true,
  filesDisabledReason: null,
  filesError: null,
  async initFiles() {
    get().client.on('files.progress', ({ transfer }) =>
      set((s) => {
        const i = s.transfers.findIndex((t) => t.transferId === transfer.transferId);
        const transfers = i === -1 ? [...s.transfers, transfer] : s.transfers.map((t, j) => (j === i ? transfer : t));
        return { transfers };
      }),
    );
    get().client.on('settings.changed', () => void get().refreshFiles());
    await get().refreshFiles();
  },
  async refreshFiles() {
    const r = await get().client.invoke('files.list', {});
    set({ filesEnabled: r.enabled, filesDisabledReason: r.disabledReason, ...(r.transfers.length ? { transfers: r.transfers } : {}) });
  },
  async sendFiles(files) {
    const { uploader, client } = get();
    set({ filesError: null });
    if (!uploader) {
      set({ filesError: 'Use the Send files button to choose files.' });
      return;
    }
    const paths: string[] = [];
    for (const file of files) {
      const id = `u${++uploadCounter}`;
      set((s) => ({ uploads: [...s.uploads, { id, name: file.name, loaded: 0, total: file.size, error: null }] }));
      const patch = (p: Partial<Upload>) => set((s) => ({ uploads: s.uploads.map((u) => (u.id === id ? { ...u, ...p } : u)) }));
      try {
        paths.push(await uploader(file, (loaded, total) => patch({ loaded, total })));
        set((s) => ({ uploads: s.uploads.filter((u) => u.id !== id) }));
      } catch (e) {
        patch({ error: errorText(e) });
      }
    }
    if (!paths.length) return;
    try {
      await client.invoke('files.send', { paths });
    } catch (e) {
      set({ filesError: errorText(e) });
    }
  },
  async pickAndSendFiles() {
    try {
      set({ filesError: null });
      await get().client.invoke('files.pickAndSend', {});
    } catch (e) {
      set({ filesError: errorText(e) });
    }
  },
  async cancelTransfer(transferId) {
    try {
      await get().client.invoke('files.cancel', { transferId });
    } catch (e) {
      set({ filesError: errorText(e) });
    }
  },
});
