/** Where the picture really is inside a <video> with object-fit: contain (letterboxing excluded). */
export function contentRect(el: { getBoundingClientRect(): DOMRect; videoWidth: number; videoHeight: number }): { left: number; top: number; width: number; height: number } {
  const r = el.getBoundingClientRect();
  if (!el.videoWidth || !el.videoHeight) return { left: r.left, top: r.top, width: r.width, height: r.height };
  const scale = Math.min(r.width / el.videoWidth, r.height / el.videoHeight);
  const width = el.videoWidth * scale;
  const height = el.videoHeight * scale;
  return { left: r.left + (r.width - width) / 2, top: r.top + (r.height - height) / 2, width, height };
}

/** A pointer position as a fraction (0..1) of the shared screen, or null outside the picture. */
export function normalise(clientX: number, clientY: number, rect: { left: number; top: number; width: number; height: number }): { x: number; y: number } | null {
  if (rect.width <= 0 || rect.height <= 0) return null;
  const x = (clientX - rect.left) / rect.width;
  const y = (clientY - rect.top) / rect.height;
  if (x < 0 || y < 0 || x > 1 || y > 1) return null;
  return { x, y };
}
