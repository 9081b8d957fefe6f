/**
 * Approver keys: Ed25519 key pairs, the private half in a 0600 JSON file, the public half as the
 * approver entry of the gate config.
 */
import { chmodSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { CryptoKey, JWK, exportJWK, generateKeyPair, importJWK } from "jose";
import { ApproverConfig, Ed25519PublicJwk } from "../gate/config";

/** The private key file `agentguard keygen` writes. */
export interface ApproverKeyFile {
    readonly id: string;
    readonly kid: string;
    readonly privateKeyJwk: JWK;
}

/** Creates a key pair for approver `id`. */
export async function generateApproverKey(id: string, kid = id): Promise<{ keyFile: ApproverKeyFile; approver: ApproverConfig }> {
    const { privateKey, publicKey } = await generateKeyPair("EdDSA", { crv: "Ed25519", extractable: true });
    const priv = await exportJWK(privateKey);
    const pub = await exportJWK(publicKey);
    const publicKeyJwk: Ed25519PublicJwk = { kty: "OKP", crv: "Ed25519", x: pub.x! };
    return {
        keyFile: { id, kid, privateKeyJwk: { ...priv, kid } },
        approver: { id, kid, publicKeyJwk },
    };
}

/** Writes a key file readable by its owner only; refuses to overwrite. */
export function writeKeyFile(path: string, keyFile: ApproverKeyFile): void {
    writeFileSync(path, JSON.stringify(keyFile, null, 2) + "\n", { mode: 0o600, flag: "wx" });
    chmodSync(path, 0o600);
}

/** The approver entry (public half) of a key file; the private JWK carries its public `x`. */
export function publicEntryOf(keyFile: ApproverKeyFile): ApproverConfig {
    return { id: keyFile.id, kid: keyFile.kid, publicKeyJwk: { kty: "OKP", crv: "Ed25519", x: String(keyFile.privateKeyJwk.x) } };
}

/** Reads a key file, checking its shape and that others cannot read it. */
export async function readKeyFile(path: string): Promise<{ keyFile: ApproverKeyFile; key: CryptoKey | Uint8Array }> {
    let stat;
    try {
        stat = statSync(path);
    } catch (e) {
        const code = (e as NodeJS.ErrnoException).code;
        throw new Error(`key file "${path}" ${code === "ENOENT" ? "does not exist" : `cannot be read (${code ?? "error"})`}`);
    }
    if (!stat.isFile()) {
        throw new Error(`key file "${path}" is ${stat.isDirectory() ? "a directory" : "not a regular file"}; give the file "agentguard keygen" wrote`);
    }
    const mode = stat.mode & 0o777;
    if (mode & 0o077) {
        throw new Error(`key file "${path}" is readable by others (mode ${mode.toString(8)}); run: chmod 600 ${path}`);
    }
    let parsed: unknown;
    try {
        parsed = JSON.parse(readFileSync(path, "utf8"));
    } catch {
        throw new Error(`key file "${path}" is not JSON written by "agentguard keygen"`);
    }
    const k = parsed as Partial<ApproverKeyFile> & { publicKeyJwk?: unknown };
    const jwk = k.privateKeyJwk;
    if (k.publicKeyJwk !== undefined && jwk === undefined) {
        throw new Error(`key file "${path}" holds an approver entry (a public key), not the private key file "agentguard keygen" wrote`);
    }
    if (typeof k.id !== "string" || typeof k.kid !== "string" || !jwk || jwk.kty !== "OKP" || jwk.crv !== "Ed25519" || typeof jwk.d !== "string" || typeof jwk.x !== "string") {
        throw new Error(`key file "${path}" is not an Ed25519 approver key written by "agentguard keygen"`);
    }
    try {
        return { keyFile: k as ApproverKeyFile, key: await importJWK(jwk, "EdDSA") };
    } catch {
        throw new Error(`key file "${path}" holds a damaged Ed25519 key (its "d" or "x" is not a valid key); make a new one with "agentguard keygen"`);
    }
}
