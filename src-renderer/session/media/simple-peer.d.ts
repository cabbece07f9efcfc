// A minimal declaration of the browser bundle of simple-peer (the npm types pull in Node's, which
// the page must not see). Only what the page uses.
declare module 'simple-peer/simplepeer.min.js' {
  export interface SimplePeerOptions {
    initiator?: boolean;
    config?: RTCConfiguration;
    stream?: MediaStream;
    trickle?: boolean;
    sdpTransform?: (sdp: string) => string;
    offerOptions?: RTCOfferOptions;
  }
  export interface SimplePeerInstance {
    signal(data: unknown): void;
    destroy(err?: Error): void;
    readonly destroyed: boolean;
    readonly connected: boolean;
    on(event: 'signal', cb: (data: unknown) => void): this;
    on(event: 'stream', cb: (stream: MediaStream) => void): this;
    on(event: 'connect' | 'close', cb: () => void): this;
    on(event: 'error', cb: (err: Error & { code?: string }) => void): this;
    replaceTrack(oldTrack: MediaStreamTrack, newTrack: MediaStreamTrack, stream: MediaStream): void;
    getStats(cb: (err: Error | null, reports: RTCStats[]) => void): void;
    _pc: RTCPeerConnection;
  }
  const SimplePeer: new (opts?: SimplePeerOptions) => SimplePeerInstance;
  export default SimplePeer;
}
