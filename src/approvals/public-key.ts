/**
 * What makes an approver's Ed25519 public key unfit for the gate config, before any token is
 * checked against it. Nothing here imports the rest of the project.
 * @internal
 */

/**
 * The encodings of the points of small order (libsodium's blocklist, compared with the sign bit
 * cleared): under such a key a signature made without any private key verifies for some messages
 * (test/approvals/public-key.test.ts forges one for each), so anyone could approve as its owner.
 */
const SMALL_ORDER: readonly string[] = [
    "0000000000000000000000000000000000000000000000000000000000000000",
    "0100000000000000000000000000000000000000000000000000000000000000",
    "26e8958fc2b227b045c3f489f2ef98f0d5dfac05d3c63339b13802886d53fc05",
    "c7176a703d4dd84fba3c0b760d10670f2a2053fa2c39ccc64ec7fd7792ac037a",
    "ecffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f",
    "edffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f",
    "eeffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f",
];

/**
 * Why `x` (a JWK's base64url public key) cannot stand for one approver: not the one canonical
 * spelling of 32 bytes (base64url leaves two spare bits in the last character, so one key has four
 * spellings, and two approver entries could hold one person's key), or a point of small order.
 */
export function publicKeyProblem(x: string): string | undefined {
    const bytes = Buffer.from(x, "base64url");
    if (bytes.length !== 32 || bytes.toString("base64url") !== x) {
        return "is not the canonical base64url spelling of 32 bytes";
    }
    const cleared = Buffer.from(bytes);
    cleared[31] &= 0x7f;
    return SMALL_ORDER.includes(cleared.toString("hex")) ? "is a point of small order, under which anyone can forge a signature" : undefined;
}
