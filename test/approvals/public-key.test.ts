/**
 * Approver keys the gate config refuses: a point of small order (anyone can forge a token under
 * it) and a second spelling of a key (one person as two approvers).
 */
import { createPublicKey, verify } from "node:crypto";
import { describe, expect, it } from "vitest";
import { GateConfigError } from "../../src/gate/config";
import { approver, config } from "../fixtures";

const SMALL_ORDER_HEX = [
    "00".repeat(32),
    "01" + "00".repeat(31),
    "26e8958fc2b227b045c3f489f2ef98f0d5dfac05d3c63339b13802886d53fc05",
    "c7176a703d4dd84fba3c0b760d10670f2a2053fa2c39ccc64ec7fd7792ac037a",
    "ec" + "ff".repeat(30) + "7f",
    "ed" + "ff".repeat(30) + "7f",
    "ee" + "ff".repeat(30) + "7f",
];

/** Every encoding, with and without the sign bit. */
const WEAK = SMALL_ORDER_HEX.flatMap((h) => {
    const b = Buffer.from(h, "hex");
    const signed = Buffer.from(b);
    signed[31] |= 0x80;
    return [b.toString("base64url"), signed.toString("base64url")];
});

/** A message for which R = identity, S = 0 verifies under `x`, found without any private key; undefined if none of 400 does. */
function forge(x: string): string | undefined {
    const key = createPublicKey({ key: { kty: "OKP", crv: "Ed25519", x }, format: "jwk" });
    const sig = Buffer.concat([Buffer.from("01" + "00".repeat(31), "hex"), Buffer.alloc(32)]);
    for (let i = 0; i < 400; i++) {
        if (verify(null, Buffer.from(`message ${i}`), key, sig)) {
            return `message ${i}`;
        }
    }
    return undefined;
}

describe("approver public keys", () => {
    it.each(WEAK)("refuses the small-order key %s, under which a signature is forged without a private key", (x) => {
        expect(forge(x)).toBeDefined();
        expect(() => config({ approvers: [{ id: "carol", publicKeyJwk: { kty: "OKP", crv: "Ed25519", x } }] })).toThrow(/approver "carol": publicKeyJwk.x is a point of small order/);
    });

    it("refuses a second spelling of one key (base64url's two spare bits), and accepts keygen's keys", async () => {
        const alice = await approver("alice");
        const x = alice.entry.publicKeyJwk.x;
        expect(forge(x)).toBeUndefined();
        const alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
        const other = x.slice(0, 42) + alphabet[alphabet.indexOf(x[42]) + 1];
        expect(Buffer.from(other, "base64url").equals(Buffer.from(x, "base64url"))).toBe(true);
        expect(() => config({ approvers: [alice.entry, { id: "alice2", publicKeyJwk: { ...alice.entry.publicKeyJwk, x: other } }] })).toThrow(GateConfigError);
        expect(() => config({ approvers: [alice.entry, { id: "alice2", publicKeyJwk: { ...alice.entry.publicKeyJwk, x: other } }] })).toThrow(/approver "alice2": publicKeyJwk.x is not the canonical base64url spelling of 32 bytes/);
        expect(config({ approvers: [alice.entry] }).approvers).toHaveLength(1);
    });
});
