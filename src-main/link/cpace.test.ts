import { describe, expect, it } from 'vitest';
import {
  CPACE_DSI,
  CPaceAbort,
  calculateGenerator,
  computeIsk,
  generatorString,
  lvCat,
  prependLen,
  scalarMult,
  scalarMultVfy,
  startCPace,
  transcriptIr,
} from './cpace';

/*
 * Test vectors copied from draft-irtf-cfrg-cpace-21, Appendix A.1 (string utilities), A.3.5
 * (transcript_ir) and Appendix B.3 "Test vector for CPace using group ristretto255 and hash
 * SHA-512" (B.3.1 generator, B.3.2/B.3.3 shares, B.3.4 K, B.3.5 ISK_IR, B.3.10/B.3.11 scalar_mult_vfy).
 * Source: https://github.com/cfrg/draft-irtf-cfrg-cpace, file draft-irtf-cfrg-cpace-21/draft-irtf-cfrg-cpace.txt.
 */
const hex = (s: string) => Uint8Array.from(Buffer.from(s.replace(/\s+/g, ''), 'hex'));
const toHex = (b: Uint8Array) => Buffer.from(b).toString('hex');
const utf8 = (s: string) => new TextEncoder().encode(s);

const V = {
  PRS: utf8('Password'),
  CI: hex('0b415f696e69746961746f720b425f726573706f6e646572'),
  sid: hex('7e4b4791d6a8ef019b936c79fb7f2c57'),
  generatorString: `11435061636552697374726574746f3235350850617373776f726464
    00000000000000000000000000000000000000000000000000000000
    00000000000000000000000000000000000000000000000000000000
    00000000000000000000000000000000000000000000000000000000
    00000000000000000000000000000000180b415f696e69746961746f
    720b425f726573706f6e646572107e4b4791d6a8ef019b936c79fb7f
    2c57`,
  g: '222b6b195fe84b1652badb6f6a3ae3d24341e7306967f0b8115b40d5698c7e56',
  ADa: utf8('ADa'),
  ya: hex('da3d23700a9e5699258aef94dc060dfda5ebb61f02a5ea77fad53f4ff0976d08'),
  Ya: 'd6bac480f2c386c394efc7c47adb9925dcd2630b64f240c50f8d0eec482b9157',
  ADb: utf8('ADb'),
  yb: hex('d2316b454718c35362d83d69df6320f38578ed5984651435e2949762d900b80d'),
  Yb: '3ea7e0b19560d7c0b0f5734f63b955286dfa8232b5ebe63324e2d9e7433f7258',
  K: '80b69a8a76457ab6a4d7f887a4bf6b55a2f80ac19c333f917a05fc9887c8b40f',
  transcriptIr: `20d6bac480f2c386c394efc7c47adb9925dcd2630b64f240c50f8d0e
    ec482b915703414461203ea7e0b19560d7c0b0f5734f63b955286dfa
    8232b5ebe63324e2d9e7433f725803414462`,
  ISK_IR: `b69effbf61b51d56401c0f65601abe428de8206feaaf0e32198896dc
    ae7b35cd2b38950a39dfd5d4a79164614c2984f7daa460b588c1e80c
    3fa2068af7900447`,
};

describe('CPace string utilities (draft appendix A)', () => {
  it('prepend_len matches A.1.2', () => {
    expect(toHex(prependLen(new Uint8Array()))).toBe('00');
    expect(toHex(prependLen(utf8('1234')))).toBe('0431323334');
    const r127 = Uint8Array.from({ length: 127 }, (_, i) => i);
    expect(toHex(prependLen(r127)).slice(0, 4)).toBe('7f00');
    const r128 = Uint8Array.from({ length: 128 }, (_, i) => i);
    expect(toHex(prependLen(r128)).slice(0, 6)).toBe('800100');
    expect(prependLen(r128).length).toBe(130);
  });

  it('lv_cat matches A.1.4 and transcript_ir matches A.3.5', () => {
    expect(toHex(lvCat(utf8('1234'), utf8('5'), utf8(''), utf8('678')))).toBe('043132333401350003363738');
    expect(toHex(transcriptIr(utf8('123'), utf8('PartyA'), utf8('234'), utf8('PartyB')))).toBe('03313233065061727479410332333406506172747942');
    expect(toHex(transcriptIr(utf8('3456'), utf8('PartyA'), utf8('2345'), utf8('PartyB')))).toBe('043334353606506172747941043233343506506172747942');
  });
});

describe('CPace-ristretto255-SHA512 test vectors (draft appendix B.3)', () => {
  it('B.3.1: generator string and generator g', () => {
    expect(toHex(generatorString(CPACE_DSI, V.PRS, V.CI, V.sid))).toBe(toHex(hex(V.generatorString)));
    expect(toHex(calculateGenerator(V.PRS, V.CI, V.sid).toBytes())).toBe(V.g);
  });

  it('B.3.2/B.3.3: shares Ya and Yb', () => {
    const g = calculateGenerator(V.PRS, V.CI, V.sid);
    expect(toHex(scalarMult(V.ya, g))).toBe(V.Ya);
    expect(toHex(scalarMult(V.yb, g))).toBe(V.Yb);
  });

  it('B.3.4: both sides derive the same K', () => {
    expect(toHex(scalarMultVfy(V.ya, hex(V.Yb)))).toBe(V.K);
    expect(toHex(scalarMultVfy(V.yb, hex(V.Ya)))).toBe(V.K);
  });

  it('B.3.5: transcript_ir and ISK for the initiator-responder mode', () => {
    const t = transcriptIr(hex(V.Ya), V.ADa, hex(V.Yb), V.ADb);
    expect(toHex(t)).toBe(toHex(hex(V.transcriptIr)));
    expect(toHex(computeIsk(V.sid, hex(V.K), t))).toBe(toHex(hex(V.ISK_IR)));
  });

  it('B.3.10: scalar_mult_vfy with a valid point', () => {
    const s = hex('7cd0e075fa7955ba52c02759a6c90dbbfc10e6d40aea8d283e407d88cf538a05');
    const X = hex('2c3c6b8c4f3800e7aef6864025b4ed79bd599117e427c41bd47d93d654b4a51c');
    expect(toHex(scalarMultVfy(s, X))).toBe('7c13645fe790a468f62c39beb7388e541d8405d1ade69d1778c5fe3e7f6b600e');
  });

  it('B.3.11: invalid encoding Y_i1 and the identity Y_i2 abort', () => {
    const s = hex('7cd0e075fa7955ba52c02759a6c90dbbfc10e6d40aea8d283e407d88cf538a05');
    expect(() => scalarMultVfy(s, hex('2b3c6b8c4f3800e7aef6864025b4ed79bd599117e427c41bd47d93d654b4a51c'))).toThrow(CPaceAbort);
    expect(() => scalarMultVfy(s, new Uint8Array(32))).toThrow(/identity/);
  });
});

describe('CPace share validation', () => {
  const s = hex('7cd0e075fa7955ba52c02759a6c90dbbfc10e6d40aea8d283e407d88cf538a05');
  const valid = hex('2c3c6b8c4f3800e7aef6864025b4ed79bd599117e427c41bd47d93d654b4a51c');

  it('rejects non-canonical encodings of otherwise valid field elements', () => {
    // p = 2^255 - 19 encodes field element 0 (the identity) non-canonically.
    const p = hex('edffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f');
    expect(() => scalarMultVfy(s, p)).toThrow(/canonical/);
    // Bit 255 set: RFC 9496 says decoding MUST fail.
    const high = Uint8Array.from(valid);
    high[31]! |= 0x80;
    expect(() => scalarMultVfy(s, high)).toThrow(/canonical/);
    // A "negative" field element (low bit set) is never a canonical encoding and MUST be rejected.
    const negative = Uint8Array.from(valid);
    negative[0]! |= 0x01;
    expect(() => scalarMultVfy(s, negative)).toThrow(CPaceAbort);
  });

  it('rejects shares of the wrong length', () => {
    expect(() => scalarMultVfy(s, valid.subarray(0, 31))).toThrow(/length/);
    expect(() => scalarMultVfy(s, new Uint8Array(33))).toThrow(/length/);
  });

  it('a full run agrees on ISK with the same password and disagrees with another', () => {
    const common = { ci: utf8('ci'), sid: new Uint8Array(32).fill(7) };
    const a = startCPace('initiator', { ...common, prs: utf8('correct horse'), ad: utf8('A') });
    const b = startCPace('responder', { ...common, prs: utf8('correct horse'), ad: utf8('B') });
    const iskB = b.finish(a.share, utf8('A'));
    const iskA = a.finish(b.share, utf8('B'));
    expect(toHex(iskA)).toBe(toHex(iskB));
    expect(() => a.finish(b.share, utf8('B'))).toThrow(/already finished/);

    const c = startCPace('initiator', { ...common, prs: utf8('correct horse'), ad: utf8('A') });
    const d = startCPace('responder', { ...common, prs: utf8('wrong horse'), ad: utf8('B') });
    expect(toHex(c.finish(d.share, utf8('B')))).not.toBe(toHex(d.finish(c.share, utf8('A'))));
  });

  it('fresh shares differ between runs (scalars are never reused)', () => {
    const inputs = { prs: utf8('pw'), ci: utf8('ci'), sid: new Uint8Array(32), ad: utf8('A') };
    expect(toHex(startCPace('initiator', inputs).share)).not.toBe(toHex(startCPace('initiator', inputs).share));
  });
});
