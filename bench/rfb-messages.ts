// What the measuring client says to the server (RFC 6143 §7.5): the handshake answers, the pixel
// format and encodings it wants, and update requests.

/** Client → server messages (RFC 6143 §7.5), as bytes. */
export const rfbClientMessages = {
  /** "RFB 003.008\n". */
  version: (): Uint8Array => new TextEncoder().encode('RFB 003.008\n'),
  /** The chosen security type (1 = None). */
  securityType: (type: number): Uint8Array => Uint8Array.of(type),
  /** ClientInit: share the desktop with other clients. */
  clientInit: (shared: boolean): Uint8Array => Uint8Array.of(shared ? 1 : 0),
  /** SetPixelFormat: 32 bpp, depth 24, little-endian true colour, BGRX in memory. */
  setPixelFormat32(): Uint8Array {
    const b = new DataView(new ArrayBuffer(20));
    b.setUint8(0, 0);
    b.setUint8(4, 32);
    b.setUint8(5, 24);
    b.setUint8(6, 0);
    b.setUint8(7, 1);
    b.setUint16(8, 255);
    b.setUint16(10, 255);
    b.setUint16(12, 255);
    b.setUint8(14, 16);
    b.setUint8(15, 8);
    b.setUint8(16, 0);
    return new Uint8Array(b.buffer);
  },
  /** SetEncodings. */
  setEncodings(encodings: number[]): Uint8Array {
    const b = new DataView(new ArrayBuffer(4 + 4 * encodings.length));
    b.setUint8(0, 2);
    b.setUint16(2, encodings.length);
    encodings.forEach((e, i) => b.setInt32(4 + 4 * i, e));
    return new Uint8Array(b.buffer);
  },
  /** FramebufferUpdateRequest. */
  updateRequest(incremental: boolean, x: number, y: number, w: number, h: number): Uint8Array {
    const b = new DataView(new ArrayBuffer(10));
    b.setUint8(0, 3);
    b.setUint8(1, incremental ? 1 : 0);
    b.setUint16(2, x);
    b.setUint16(4, y);
    b.setUint16(6, w);
    b.setUint16(8, h);
    return new Uint8Array(b.buffer);
  },
};
