// The tray icon while an invitation is open or a session runs. What it shows is decided in plain
// Node (app/tray-model.ts, unit-tested); this file only draws it with Electron.
import { Menu, Tray, nativeImage } from 'electron';
import type { TrayModel } from '../app/tray-model';

export interface TrayControllerOptions {
  /** assets/icons/32x32.png, shipped beside the app. */
  iconPath: string;
  /** The current model; null removes the icon. */
  model: () => TrayModel | null;
  showWindow: () => void;
  stop: (action: TrayModel['stop']['action']) => void;
}

/** Keeps one tray icon in step with the model; call `refresh()` whenever the session or invitation changes. */
export function createTrayController(o: TrayControllerOptions): { refresh(): void; destroy(): void } {
  let tray: Tray | null = null;
  let shown = '';
  const destroy = () => {
    tray?.destroy();
    tray = null;
    shown = '';
  };
  return {
    refresh() {
      const m = o.model();
      if (!m) return destroy();
      const key = JSON.stringify(m);
      if (tray && key === shown) return;
      if (!tray) {
        tray = new Tray(nativeImage.createFromPath(o.iconPath));
        // Windows and Linux: a click on the icon brings the window back.
        tray.on('click', () => o.showWindow());
      }
      shown = key;
      tray.setToolTip(m.tooltip);
      tray.setContextMenu(
        Menu.buildFromTemplate([
          { label: m.status, enabled: false },
          { type: 'separator' },
          { label: 'Show Remote Assist', click: () => o.showWindow() },
          { label: m.stop.label, click: () => o.stop(m.stop.action) },
        ]),
      );
    },
    destroy,
  };
}
