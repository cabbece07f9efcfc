import { useEffect, type RefObject } from 'react';
import { isAllowedKeyName } from '../../../src-shared/protocol/input';
import { contentRect, normalise } from './video-geometry';

const BUTTONS = ['left', 'middle', 'right'] as const;

/**
 * Turns the helper's mouse and keyboard over the video into normalised input events, while
 * `active` (control granted). Moves are coalesced to one per animation frame; buttons and keys go
 * at once, after any pending move, so a click lands where the pointer is.
 */
export function useRemoteInput(videoRef: RefObject<HTMLVideoElement | null>, active: boolean, send: (events: unknown[]) => void): void {
  useEffect(() => {
    const video = videoRef.current;
    if (!video || !active) return;
    let pendingMove: { x: number; y: number } | null = null;
    let raf = 0;
    const flush = (extra?: unknown) => {
      const batch: unknown[] = [];
      if (pendingMove) batch.push({ type: 'pointer.move', ...pendingMove });
      pendingMove = null;
      if (extra) batch.push(extra);
      if (batch.length) send(batch);
    };
    const at = (e: MouseEvent) => normalise(e.clientX, e.clientY, contentRect(video));
    const onMove = (e: MouseEvent) => {
      const p = at(e);
      if (!p) return;
      pendingMove = p;
      if (!raf)
        raf = requestAnimationFrame(() => {
          raf = 0;
          flush();
        });
    };
    const onButton = (down: boolean) => (e: MouseEvent) => {
      const p = at(e);
      const button = BUTTONS[e.button];
      if (!p || !button) return;
      e.preventDefault();
      if (down) video.focus();
      flush({ type: 'pointer.button', ...p, button, down });
    };
    const onWheel = (e: WheelEvent) => {
      const p = at(e);
      if (!p) return;
      e.preventDefault();
      // One notch per ~100 px of pixel-mode scrolling; keep the sign.
      const notches = (d: number) => (d === 0 ? 0 : Math.sign(d) * Math.max(1, Math.min(10, Math.round(Math.abs(d) / (e.deltaMode === 0 ? 100 : 1)))));
      flush({ type: 'pointer.wheel', ...p, dx: notches(e.deltaX), dy: notches(e.deltaY) });
    };
    const onKey = (down: boolean) => (e: KeyboardEvent) => {
      if (e.isComposing) return;
      // Everything typed in the viewer belongs to the remote computer, including Tab and Esc.
      e.preventDefault();
      e.stopPropagation();
      if (isAllowedKeyName(e.key)) flush({ type: 'key', key: e.key, ...(e.code ? { code: e.code } : {}), down });
      // Characters outside the key list (é, €, CJK) travel as text, once, on key down.
      else if (down && [...e.key].length === 1) flush({ type: 'text', text: e.key });
    };
    const onContext = (e: Event) => e.preventDefault();
    const down = onButton(true);
    const up = onButton(false);
    const kd = onKey(true);
    const ku = onKey(false);
    video.addEventListener('mousemove', onMove);
    video.addEventListener('mousedown', down);
    video.addEventListener('mouseup', up);
    video.addEventListener('wheel', onWheel, { passive: false });
    video.addEventListener('keydown', kd);
    video.addEventListener('keyup', ku);
    video.addEventListener('contextmenu', onContext);
    return () => {
      if (raf) cancelAnimationFrame(raf);
      video.removeEventListener('mousemove', onMove);
      video.removeEventListener('mousedown', down);
      video.removeEventListener('mouseup', up);
      video.removeEventListener('wheel', onWheel);
      video.removeEventListener('keydown', kd);
      video.removeEventListener('keyup', ku);
      video.removeEventListener('contextmenu', onContext);
    };
  }, [videoRef, active, send]);
}
